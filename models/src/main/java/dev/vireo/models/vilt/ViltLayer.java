package dev.vireo.models.vilt;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * One pre-LN layer of ViLT's single transformer over text and patches (transformers'
 * {@code ViltLayer}, ViT's block with BERT's names): h = x + attention.output.dense(attn(q, k, v of
 * layernorm_before(x))), then y = h + output.dense(act(intermediate.dense(layernorm_after(h)))).
 * Masked keys (padding of either modality) get no attention.
 */
public final class ViltLayer extends Module {
    private final LayerNorm before;
    private final SelfAttention attention;
    private final LayerNorm after;
    private final Dense intermediate;
    private final Dense output;
    private final Activation activation;

    /** {@code attention}: {@code attention.query/key/value} and {@code output.dense}. */
    static final class SelfAttention extends Module {
        final Projections projections;
        final Dense output;
        final int heads;
        final float scale;

        SelfAttention(Rng rng, int width, int heads, boolean qkvBias) {
            this.projections = child("attention", new Projections(rng, width, qkvBias));
            this.output = child("output", new Dense(rng, width, width));
            this.heads = heads;
            this.scale = (float) (1.0 / Math.sqrt(width / heads)); // scores / sqrt(head size)
        }

        /** residual + dense(softmax(q·kᵀ·scale + mask)·v): x (B, N, C) → (B, N, C). */
        Tensor forward(Tensor x, Tensor keyMask, Tensor residual) {
            Tensor q = projections.query.forward(x);                                 // (B, N, C)
            Tensor k = projections.key.forward(x);                                   // (B, N, C)
            Tensor v = projections.value.forward(x);                                 // (B, N, C)
            Tensor merged = Attention.multiHead(q, k, v, heads, false, keyMask, scale); // (B, N, C)
            Tensor out = output.dense.forward(merged, null, residual);               // (B, N, C)
            if (!out.requiresGrad()) for (Tensor dead : new Tensor[] {q, k, v, merged}) BufferPool.recycle(dead);
            return out;
        }
    }

    /** transformers' {@code ViltSelfAttention}: {@code query}, {@code key}, {@code value}, biased when {@code qkv_bias}. */
    static final class Projections extends Module {
        final Linear query;
        final Linear key;
        final Linear value;

        Projections(Rng rng, int width, boolean bias) {
            this.query = child("query", new Linear(rng, width, width, bias));
            this.key = child("key", new Linear(rng, width, width, bias));
            this.value = child("value", new Linear(rng, width, width, bias));
        }
    }

    /** A module holding one Linear named {@code dense} (transformers' SelfOutput, Intermediate, Output). */
    static final class Dense extends Module {
        final Linear dense;

        Dense(Rng rng, int in, int out) {
            this.dense = child("dense", new Linear(rng, in, out, true));
        }
    }

    public ViltLayer(Rng rng, ViltConfig config) {
        int c = config.hidden(), i = config.text().intermediate();
        float eps = (float) config.text().layerNormEps();
        this.attention = child("attention", new SelfAttention(rng, c, config.text().heads(), config.qkvBias()));
        this.intermediate = child("intermediate", new Dense(rng, c, i));
        this.output = child("output", new Dense(rng, i, c));
        this.before = child("layernorm_before", new LayerNorm(c, eps));
        this.after = child("layernorm_after", new LayerNorm(c, eps));
        this.activation = Activation.of(config.text().activation());
    }

    /** x (B, N, C), keyMask (B, N) with 1 for tokens to attend to → (B, N, C). */
    public Tensor forward(Tensor x, Tensor keyMask) {
        Tensor n1 = before.forward(x);                                   // (B, N, C)
        Tensor h = attention.forward(n1, keyMask, x);                    // (B, N, C): x + attn(ln(x))
        Tensor n2 = after.forward(h);                                    // (B, N, C)
        Tensor mid = intermediate.dense.forward(n2, activation);         // (B, N, I)
        Tensor y = output.dense.forward(mid, null, h);                   // (B, N, C): h + mlp(ln(h))
        if (!y.requiresGrad()) for (Tensor dead : new Tensor[] {n1, n2, mid, h}) BufferPool.recycle(dead);
        return y;
    }
}
