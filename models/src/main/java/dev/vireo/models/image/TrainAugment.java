package dev.vireo.models.image;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;

import java.util.List;

/**
 * Training-time image augmentation: random resized crop, horizontal flip, colour jitter (applied with probability
 * {@code jitterProb}) and random greyscale, in torchvision's order, then CLIP normalisation. Named presets are data:
 * {@link #named(String)}. Every image draws from its own generator forked in order from the caller's, so a batch is
 * bit-identical for any thread count.
 */
public record TrainAugment(RandomResizedCrop crop, double flipProb, ColorJitter jitter, double jitterProb,
                           double grayscaleProb) {

    public TrainAugment {
        for (double p : new double[]{flipProb, jitterProb, grayscaleProb}) {
            if (p < 0 || p > 1) throw new IllegalArgumentException("TrainAugment: probabilities must be in [0, 1], got " + p);
        }
    }

    /** Preset names accepted by {@link #named}. */
    public static List<String> list() {
        return List.of("openclip", "simclr");
    }

    /**
     * {@code openclip}: open_clip's training transform (crop scale 0.9..1, nothing else); {@code simclr}: scale 0.08..1,
     * flip 0.5, jitter (0.4, 0.4, 0.4, 0.1) with p 0.8, greyscale 0.2.
     */
    public static TrainAugment named(String name, int size) {
        return switch (name) {
            case "openclip" -> new TrainAugment(new RandomResizedCrop(size, 0.9, 1.0, 3.0 / 4, 4.0 / 3, ResampleFilter.BICUBIC),
                    0, new ColorJitter(0, 0, 0, 0), 0, 0);
            case "simclr" -> new TrainAugment(new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4, 4.0 / 3, ResampleFilter.BICUBIC),
                    0.5, new ColorJitter(0.4, 0.4, 0.4, 0.1), 0.8, 0.2);
            default -> throw new IllegalArgumentException("TrainAugment: unknown preset '" + name + "', known: " + list());
        };
    }

    /** One augmented image, size x size. */
    public RgbImage apply(RgbImage image, Rng rng) {
        RgbImage out = crop.apply(image, rng);
        if (flipProb > 0 && rng.nextDouble() < flipProb) out = out.flipHorizontal();
        if (jitterProb > 0 && rng.nextDouble() < jitterProb) out = jitter.apply(out, rng);
        if (grayscaleProb > 0 && rng.nextDouble() < grayscaleProb) out = ColorOps.grayscale(out);
        return out;
    }

    /**
     * A batch, augmented and normalised as {@code normalize} says, laid out (B, 3, size, size). One generator per image
     * is forked from {@code rng} in image order before any work starts.
     */
    public float[] batch(List<RgbImage> images, Rng rng, ClipPreprocessor normalize) {
        int b = images.size(), size = crop.size(), per = 3 * size * size;
        Rng[] rngs = new Rng[b];
        for (int i = 0; i < b; i++) rngs[i] = rng.fork();
        float[] out = new float[Math.multiplyExact(b, per)]; // (B, 3, size, size)
        ComputePool.global().forEachChunk(b, i -> normalize.toChannelsFirst(apply(images.get(i), rngs[i]), out, i * per));
        return out;
    }
}
