package dev.vireo.models.clip;

import dev.vireo.engine.autograd.Convolution;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.Embedding;
import dev.vireo.engine.nn.Init;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.nn.PatchEmbedding;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.VisionConfig;

import java.util.List;

/**
 * CLIP's image tower, a ViT (Dosovitskiy et al. 2021): patch embedding, a class token, learned
 * positions, pre-LN, transformer blocks, LN of the class token. State-dict names follow Hugging
 * Face's {@code CLIPVisionTransformer} ({@code embeddings.class_embedding}, {@code pre_layrnorm}, ...).
 * With {@link VisionConfig#stemChannels()} set, a 3×3 convolution and the tower's activation come
 * before the patch embedding ({@code embeddings.stem.weight}, {@code embeddings.stem.bias}; no
 * Hugging Face CLIP has one).
 */
public final class VisionTransformer extends Module {
    private final VisionConfig config;
    private final Embeddings embeddings;
    private final LayerNorm preNorm;
    private final TransformerEncoder encoder;
    private final LayerNorm postNorm;

    /** {@code embeddings.*}: the convolutional stem if any, the patch projection, the class token and the positions. */
    static final class Embeddings extends Module {
        final Parameter classEmbedding;
        final Stem stem; // null: the patches read the pixels
        final PatchEmbedding patchEmbedding;
        final Embedding positionEmbedding;

        Embeddings(Rng rng, VisionConfig c) {
            float scale = (float) Math.pow(c.width(), -0.5);
            classEmbedding = parameter("class_embedding", Tensor.randn(rng, 0f, scale, c.width()));
            stem = c.stemChannels() > 0 ? child("stem", new Stem(rng, c.stemChannels(), Activation.of(c.activation()))) : null;
            patchEmbedding = child("patch_embedding", new PatchEmbedding(rng, c.patchChannels(), c.patchSize(), c.width()));
            positionEmbedding = child("position_embedding", new Embedding(rng, c.tokens(), c.width(), scale));
        }
    }

    /**
     * {@code embeddings.stem.*}: a 3×3 convolution (stride 1, padding 1) from RGB to {@code channels}, then the
     * activation; the weight drawn as torch's {@code Conv2d} bounds it (uniform ±1/√27), the bias zero.
     */
    static final class Stem extends Module {
        final Parameter weight, bias;
        final Activation activation;

        Stem(Rng rng, int channels, Activation activation) {
            weight = parameter("weight", Init.uniform(rng, Init.linearBound(3 * 3 * 3), channels, 3, 3, 3)); // (K, 3, 3, 3)
            bias = parameter("bias", Tensor.zeros(channels));                                                // (K)
            this.activation = activation;
        }

        /** images (B, 3, S, S) → (B, K, S, S), row-major. */
        Tensor forward(Tensor images) {
            return activation.apply(Convolution.conv2d(images, weight.value(), bias.value(), 1, 1)).contiguous(); // (B, K, S, S)
        }
    }

    public VisionTransformer(Rng rng, VisionConfig config) {
        this.config = config;
        this.embeddings = child("embeddings", new Embeddings(rng, config));
        this.preNorm = child("pre_layrnorm", new LayerNorm(config.width()));
        this.encoder = child("encoder", new TransformerEncoder(rng, config.width(), config.layers(), config.heads(),
                config.mlpWidth(), Activation.of(config.activation())));
        this.postNorm = child("post_layernorm", new LayerNorm(config.width()));
    }

    /** images (B, 3, S, S), normalised → pooled features (B, C) (the class token after the last LN). */
    public Tensor forward(Tensor images) {
        Tensor x = embed(images);                                                    // (B, T, C)
        Tensor pooled = encoder.forwardAt(x, new int[x.size(0)], false);             // (B, C): the class token
        return postNorm.forward(pooled);                                             // (B, C)
    }

    /**
     * images (B, 3, S, S) → every token after the encoder and the last LN (B, T, C), class token
     * first: the sequence a fusion model's text attends to (the class token is {@link #forward}'s).
     */
    public Tensor forwardTokens(Tensor images) {
        Tensor x = embed(images);                 // (B, T, C)
        return postNorm.forward(encoder.forward(x, false)); // (B, T, C)
    }

    /**
     * As {@link #forwardTokens(Tensor)} with some patches masked: where patchMask (B, P, 1) is 1 the
     * patch embedding is replaced by maskToken (C) before positions are added (masked patch modelling).
     */
    public Tensor forwardTokens(Tensor images, Tensor patchMask, Tensor maskToken) {
        Tensor x = embed(images, patchMask, maskToken);      // (B, T, C)
        return postNorm.forward(encoder.forward(x, false)); // (B, T, C)
    }

    /**
     * images (B, 3, S, S) → {@link #forwardTokens(Tensor)}'s tokens (B, T, C) (up to rounding) with each
     * block's attention probabilities (B, H, T, T), first block first, class token first: one pass.
     */
    public TransformerEncoder.Traced forwardTokensWithAttention(Tensor images) {
        TransformerEncoder.Traced t = encoder.forwardWithAttention(embed(images), false);
        return new TransformerEncoder.Traced(postNorm.forward(t.output()), t.attention()); // (B, T, C), each (B, H, T, T)
    }

    /** images (B, 3, S, S) → the tokens before the first block (B, T, C): class token, patches, positions, pre-LN. */
    public Tensor embed(Tensor images) {
        return embed(images, null, null);
    }

    private Tensor embed(Tensor images, Tensor patchMask, Tensor maskToken) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != 3 || s[2] != config.imageSize() || s[3] != config.imageSize()) {
            throw new IllegalArgumentException("vision tower: expects images (B, 3, " + config.imageSize() + ", "
                    + config.imageSize() + "), got " + Shapes.str(s));
        }
        int b = s[0], c = config.width();
        Tensor pixels = embeddings.stem == null ? images : embeddings.stem.forward(images); // (B, 3 or K, S, S)
        Tensor patches = embeddings.patchEmbedding.forward(pixels);                  // (B, P, C)
        if (patchMask != null) {
            patches = patches.mul(patchMask.neg().add(1f)).add(patchMask.mul(maskToken)); // (B, P, C): masked rows become the mask token
        }
        Tensor cls = embeddings.classEmbedding.value().reshape(1, 1, c).expand(b, 1, c); // (B, 1, C)
        Tensor x = ShapeOps.concat(1, cls, patches);                                 // (B, T, C)
        x = x.add(embeddings.positionEmbedding.weight().value());                    // (B, T, C) + (T, C)
        return preNorm.forward(x);                                                   // (B, T, C)
    }

    public VisionConfig config() {
        return config;
    }
}
