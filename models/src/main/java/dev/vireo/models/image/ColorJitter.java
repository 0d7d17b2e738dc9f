package dev.vireo.models.image;

import dev.vireo.engine.tensor.Rng;

/**
 * torchvision's ColorJitter on PIL images: factors drawn uniformly from [max(0, 1 - b), 1 + b] (brightness, contrast,
 * saturation) and [-hue, hue], applied in a random order (a fresh permutation of the four each call). A zero amount
 * disables that adjustment and draws no factor for it.
 */
public record ColorJitter(double brightness, double contrast, double saturation, double hue) {

    public ColorJitter {
        if (brightness < 0 || contrast < 0 || saturation < 0) {
            throw new IllegalArgumentException("ColorJitter: amounts must be >= 0, got brightness " + brightness
                    + ", contrast " + contrast + ", saturation " + saturation);
        }
        if (hue < 0 || hue > 0.5) throw new IllegalArgumentException("ColorJitter: hue must be in [0, 0.5], got " + hue);
    }

    /** Applies the four adjustments with factors and order drawn from {@code rng}. */
    public RgbImage apply(RgbImage image, Rng rng) {
        int[] order = {0, 1, 2, 3};
        rng.shuffle(order);
        double b = factor(brightness, rng), c = factor(contrast, rng), s = factor(saturation, rng);
        double h = hue > 0 ? -hue + 2 * hue * rng.nextDouble() : 0;
        RgbImage out = image;
        for (int op : order) {
            out = switch (op) {
                case 0 -> brightness > 0 ? ColorOps.brightness(out, b) : out;
                case 1 -> contrast > 0 ? ColorOps.contrast(out, c) : out;
                case 2 -> saturation > 0 ? ColorOps.saturation(out, s) : out;
                default -> hue > 0 ? ColorOps.hue(out, h) : out;
            };
        }
        return out;
    }

    private static double factor(double amount, Rng rng) {
        if (amount == 0) return 1.0;
        double lo = Math.max(0, 1 - amount), hi = 1 + amount;
        return lo + (hi - lo) * rng.nextDouble();
    }
}
