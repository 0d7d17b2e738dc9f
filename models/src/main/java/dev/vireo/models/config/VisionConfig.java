package dev.vireo.models.config;

/**
 * The image tower of a CLIP or vision-language model: a ViT over {@code imageSize}² images cut in
 * {@code patchSize}² patches. A tower with 0 layers is the patch embedding alone (an early-fusion
 * model's image side); CLIP needs at least one.
 */
public record VisionConfig(int imageSize, int patchSize, int width, int layers, int heads, double mlpRatio, String activation) {
    public VisionConfig {
        ConfigChecks.positive("vision", "imageSize", imageSize);
        ConfigChecks.positive("vision", "patchSize", patchSize);
        ConfigChecks.positive("vision", "width", width);
        ConfigChecks.nonNegative("vision", "layers", layers); // 0: patch embeddings only (what an early-fusion model reads)
        ConfigChecks.positive("vision", "heads", heads);
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("vision: imageSize " + imageSize + " is not a multiple of patchSize " + patchSize);
        }
        if (width % heads != 0) throw new IllegalArgumentException("vision: width " + width + " is not a multiple of heads " + heads);
        ConfigChecks.mlpRatio("vision", width, mlpRatio);
        ConfigChecks.activation("vision", activation);
    }

    /** Patches per image side. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Tokens per image: the patches plus the class token. */
    public int tokens() {
        return grid() * grid() + 1;
    }

    public int mlpWidth() {
        return (int) Math.round(width * mlpRatio);
    }
}
