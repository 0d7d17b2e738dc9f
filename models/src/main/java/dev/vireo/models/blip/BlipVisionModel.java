package dev.vireo.models.blip;

import dev.vireo.engine.autograd.LinearOp;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * BLIP's image tower (transformers' {@code BlipVisionModel}, its state-dict names): a ViT
 * (Dosovitskiy et al. 2021) whose patch projection has a bias, a class token, learned positions
 * added with no layer norm before the layers, pre-LN layers ({@link BlipVisionLayer}), and
 * {@code post_layernorm} over every token. Its output is transformers' {@code last_hidden_state},
 * the image states the text encoder cross-attends to; the class token's row feeds the projection.
 */
public final class BlipVisionModel extends Module {
    private final BlipVisionConfig config;
    private final Embeddings embeddings;
    private final ModuleList<BlipVisionLayer> layers;
    private final LayerNorm postNorm;

    /** {@code embeddings.*}: class token (1, 1, C), patch projection, positions (1, T, C). */
    static final class Embeddings extends Module {
        final Parameter classEmbedding;
        final PatchProjection patchEmbedding;
        final Parameter positionEmbedding;

        Embeddings(Rng rng, BlipVisionConfig c) {
            this.classEmbedding = parameter("class_embedding", Tensor.randn(rng, 0f, 0.02f, 1, 1, c.hidden()));
            this.patchEmbedding = child("patch_embedding", new PatchProjection(rng, c.patchSize(), c.hidden()));
            this.positionEmbedding = parameter("position_embedding", Tensor.randn(rng, 0f, 0.02f, 1, c.tokens(), c.hidden()));
        }
    }

    /** A conv2d with stride = kernel = p and a bias ({@code weight} (C, 3, p, p), {@code bias} (C)), as reshape + GEMM. */
    static final class PatchProjection extends Module {
        final Parameter weight;
        final Parameter bias;
        final int patch;
        final int width;
        /** The weight as a (C, 3·p·p) view, one object per weight tensor, as engine's PatchEmbedding keeps it for the provider. */
        private volatile Tensor[] flat;

        PatchProjection(Rng rng, int patch, int width) {
            this.weight = parameter("weight", Tensor.randn(rng, 0f, 0.02f, width, 3, patch, patch));
            this.bias = parameter("bias", Tensor.zeros(width));
            this.patch = patch;
            this.width = width;
        }

        /** images (B, 3, H, W) → (B, P, C), the patches row-major over the grid as conv's flatten(2). */
        Tensor forward(Tensor images) {
            int b = images.size(0), gh = images.size(2) / patch, gw = images.size(3) / patch;
            Tensor patches = images.reshape(b, 3, gh, patch, gw, patch)  // (B, 3, gh, p, gw, p)
                    .permute(0, 2, 4, 1, 3, 5)                           // (B, gh, gw, 3, p, p)
                    .reshape(b, gh * gw, 3 * patch * patch);             // (B, P, 3·p·p)
            Tensor v = weight.value();
            if (Node.willRecord(patches, v, bias.value())) {
                return LinearOp.linear(patches, v.reshape(width, 3 * patch * patch), bias.value(), null); // (B, P, C)
            }
            return ComputeProvider.get().linear(patches, flatWeight(v), bias.value(), null, null); // (B, P, C)
        }

        /** v (C, 3, p, p) as a (C, 3·p·p) view without gradient, the same object while the parameter holds v. */
        private Tensor flatWeight(Tensor v) {
            Tensor[] f = flat;
            if (f == null || f[0] != v) flat = f = new Tensor[] {v, v.detach().reshape(width, 3 * patch * patch)}; // (C, 3·p·p)
            return f[1];
        }
    }

    /** HF's {@code encoder} holds the layers as {@code layers}. */
    private static final class Encoder extends Module {
        final ModuleList<BlipVisionLayer> layers;

        Encoder(ModuleList<BlipVisionLayer> layers) {
            this.layers = child("layers", layers);
        }
    }

    public BlipVisionModel(Rng rng, BlipVisionConfig config) {
        this.config = config;
        this.embeddings = child("embeddings", new Embeddings(rng, config));
        ModuleList<BlipVisionLayer> list = new ModuleList<>();
        for (int i = 0; i < config.layers(); i++) list.add(new BlipVisionLayer(rng, config));
        this.layers = child("encoder", new Encoder(list)).layers;
        this.postNorm = child("post_layernorm", new LayerNorm(config.hidden(), (float) config.layerNormEps()));
    }

    /** pixels (B, 3, S, S), normalised → image states (B, T, C) after {@code post_layernorm}; row 0 is the class token. */
    public Tensor forward(Tensor pixels) {
        int[] s = pixels.shape();
        int size = config.imageSize();
        if (s.length != 4 || s[1] != 3 || s[2] != size || s[3] != size) {
            throw new IllegalArgumentException("BLIP vision: expects pixels (B, 3, " + size + ", " + size + "), got " + Shapes.str(s));
        }
        int b = s[0], c = config.hidden();
        Tensor patches = embeddings.patchEmbedding.forward(pixels);                           // (B, P, C)
        Tensor cls = embeddings.classEmbedding.value().reshape(1, 1, c).expand(b, 1, c);      // (B, 1, C)
        Tensor x = ShapeOps.concat(1, cls, patches);                                          // (B, T, C)
        x = x.add(embeddings.positionEmbedding.value());                                      // (B, T, C) + (1, T, C)
        for (BlipVisionLayer layer : layers) {
            Tensor y = layer.forward(x); // (B, T, C)
            if (!y.requiresGrad()) BufferPool.recycle(x);
            x = y;
        }
        return postNorm.forward(x); // (B, T, C)
    }

    public BlipVisionConfig config() {
        return config;
    }
}
