package dev.vireo.models.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The image tower of a CLIP or vision-language model: a ViT over {@code imageSize}² images cut in
 * {@code patchSize}² patches. A tower with 0 layers is the patch embedding alone (an early-fusion
 * model's image side); CLIP needs at least one.
 *
 * @param stemChannels 0 (the plain ViT), or the channels of a convolutional stem before the patches: a 3×3
 *                     convolution (stride 1, padding 1, with bias) from the 3 colour channels to this many,
 *                     then the tower's activation, and the patch embedding reads its output instead of the pixels (a one-layer
 *                     form of the convolutional stems of Xiao et al. 2021, "Early convolutions help
 *                     transformers see better"). Written to JSON only when set, so older configs read as 0.
 */
public record VisionConfig(int imageSize, int patchSize, int width, int layers, int heads, double mlpRatio, String activation,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT) int stemChannels) {
    /** The plain ViT: no convolutional stem. */
    public VisionConfig(int imageSize, int patchSize, int width, int layers, int heads, double mlpRatio, String activation) {
        this(imageSize, patchSize, width, layers, heads, mlpRatio, activation, 0);
    }

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
        ConfigChecks.nonNegative("vision", "stemChannels", stemChannels);
    }

    /** This tower with a convolutional stem of {@code channels} channels (0: none). */
    public VisionConfig withStem(int channels) {
        return new VisionConfig(imageSize, patchSize, width, layers, heads, mlpRatio, activation, channels);
    }

    /** The channels the patch embedding reads: the stem's, or the 3 colour channels. */
    public int patchChannels() {
        return stemChannels > 0 ? stemChannels : 3;
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
