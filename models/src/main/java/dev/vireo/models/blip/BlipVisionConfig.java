package dev.vireo.models.blip;

import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.nn.Activation;

/**
 * BLIP's image tower, with transformers' {@code BlipVisionConfig} meaning for each field: a pre-LN
 * ViT of {@code hidden} width over {@code imageSize}² images cut in {@code patchSize}² patches.
 */
public record BlipVisionConfig(int hidden, int layers, int heads, int intermediate, int imageSize, int patchSize,
                               double layerNormEps, String activation) {
    /** The largest image side a config may ask for (the preprocessor's limit): BLIP ships 384. */
    public static final int MAX_IMAGE_SIZE = 8192;

    public BlipVisionConfig {
        positive("hidden_size", hidden);
        positive("num_hidden_layers", layers);
        positive("num_attention_heads", heads);
        positive("intermediate_size", intermediate);
        positive("image_size", imageSize);
        positive("patch_size", patchSize);
        if (hidden % heads != 0) throw error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        if (imageSize > MAX_IMAGE_SIZE) throw error("image_size " + imageSize + " is past the " + MAX_IMAGE_SIZE + " px a BLIP may take");
        if (imageSize % patchSize != 0) throw error("image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        if (!(layerNormEps > 0 && layerNormEps < 1)) throw error("layer_norm_eps must be in (0, 1), got " + layerNormEps);
        try {
            Activation.of(activation);
        } catch (IllegalArgumentException e) {
            throw error("hidden_act: " + e.getMessage());
        }
    }

    /** Patches per image side. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Tokens per image: the class token and the patches. */
    public int tokens() {
        return grid() * grid() + 1;
    }

    public int headDim() {
        return hidden / heads;
    }

    /** The weights this tower holds (patch projection, class token, positions, layers, final LN), in double: no overflow. */
    public double parameters() {
        double c = hidden, g = (double) imageSize / patchSize;
        double embeddings = c * 3.0 * patchSize * patchSize + c + c + (g * g + 1) * c;
        double layer = 4 * c + (3 * c * c + 3 * c) + (c * c + c) + (c * intermediate + intermediate) + ((double) intermediate * c + c);
        return embeddings + layers * layer + 2 * c;
    }

    private static void positive(String field, int value) {
        if (value <= 0) throw error(field + " must be positive, got " + value);
    }

    private static IllegalArgumentException error(String message) {
        return new IllegalArgumentException(OneLine.of("blip vision_config." + message));
    }
}
