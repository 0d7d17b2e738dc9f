package dev.vireo.models.image;

import dev.vireo.engine.tensor.Rng;

/**
 * torchvision's RandomResizedCrop: up to 10 tries of an area fraction in {@code scale} and a log-uniform aspect ratio
 * in {@code ratio}, side lengths rounded half to even as Python's round, then a central crop fallback; the crop is
 * resized to size x size with a PIL filter (crop first, then resize, as torchvision does).
 */
public record RandomResizedCrop(int size, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                                ResampleFilter filter) {

    public RandomResizedCrop {
        if (size <= 0) throw new IllegalArgumentException("RandomResizedCrop: size must be positive, got " + size);
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop: need 0 < scaleMin <= scaleMax <= 1, got (" + scaleMin + ", " + scaleMax + ")");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("RandomResizedCrop: need 0 < ratioMin <= ratioMax, got (" + ratioMin + ", " + ratioMax + ")");
        }
    }

    /** torchvision's defaults: scale (0.08, 1), ratio (3/4, 4/3), bicubic as CLIP uses. */
    public static RandomResizedCrop of(int size) {
        return new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, ResampleFilter.BICUBIC);
    }

    /** A crop box: top row {@code top}, left column {@code left}, {@code height} x {@code width}. */
    public record Box(int top, int left, int height, int width) {
    }

    /** torchvision's get_params: the crop box for an image of the given size. */
    public Box sample(int imageHeight, int imageWidth, Rng rng) {
        double area = (double) imageHeight * imageWidth;
        double logMin = Math.log(ratioMin), logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(uniform(rng, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (0 < w && w <= imageWidth && 0 < h && h <= imageHeight) {
                int top = rng.nextInt(imageHeight - h + 1);
                int left = rng.nextInt(imageWidth - w + 1);
                return new Box(top, left, h, w);
            }
        }
        // fallback: the largest central crop whose aspect lies within the ratio range
        double inRatio = (double) imageWidth / imageHeight;
        int w, h;
        if (inRatio < ratioMin) {
            w = imageWidth;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = imageHeight;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = imageWidth;
            h = imageHeight;
        }
        return new Box((imageHeight - h) / 2, (imageWidth - w) / 2, h, w);
    }

    /** Samples a box and returns the crop resized to size x size. */
    public RgbImage apply(RgbImage image, Rng rng) {
        Box b = sample(image.height(), image.width(), rng);
        return PilResample.resize(image.crop(b.left(), b.top(), b.width(), b.height()), size, size, filter);
    }

    private static double uniform(Rng rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
