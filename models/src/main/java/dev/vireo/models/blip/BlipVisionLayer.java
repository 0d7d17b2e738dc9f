package dev.vireo.models.blip;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Mlp;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * One pre-LN layer of BLIP's vision tower (transformers' {@code BlipEncoderLayer}, its names):
 * h = x + projection(attn(qkv(layer_norm1(x)))), then y = h + fc2(act(fc1(layer_norm2(h)))). The
 * query, key and value come from one fused {@code self_attn.qkv} projection whose 3C outputs are
 * ordered (3, H, D), as transformers reshapes them; they are read as column views, not copied.
 */
public final class BlipVisionLayer extends Module {
    private final LayerNorm norm1;
    private final SelfAttention attention;
    private final LayerNorm norm2;
    private final Mlp mlp;

    /** {@code self_attn}: the fused {@code qkv} and the output {@code projection} (transformers' {@code BlipAttention}). */
    static final class SelfAttention extends Module {
        final Linear qkv;
        final Linear projection;
        final int heads;
        final float scale;

        SelfAttention(Rng rng, int width, int heads) {
            this.qkv = child("qkv", new Linear(rng, width, 3 * width, true));
            this.projection = child("projection", new Linear(rng, width, width, true));
            this.heads = heads;
            this.scale = (float) Math.pow(width / heads, -0.5); // head_dim ** -0.5
        }

        /** residual + projection(softmax(q·kᵀ·scale)·v): x (B, T, C) → (B, T, C). */
        Tensor forward(Tensor x, Tensor residual) {
            int c = x.size(2);
            Tensor fused = qkv.forward(x);                  // (B, T, 3C)
            Tensor q = fused.narrow(2, 0, c);               // (B, T, C): a view, rows 3C apart
            Tensor k = fused.narrow(2, c, c);               // (B, T, C)
            Tensor v = fused.narrow(2, 2 * c, c);           // (B, T, C)
            Tensor merged = Attention.multiHead(q, k, v, heads, false, null, scale); // (B, T, C)
            Tensor out = projection.forward(merged, null, residual);                // (B, T, C)
            if (!out.requiresGrad()) {
                BufferPool.recycle(fused);
                BufferPool.recycle(merged);
            }
            return out;
        }
    }

    public BlipVisionLayer(Rng rng, BlipVisionConfig config) {
        float eps = (float) config.layerNormEps();
        this.attention = child("self_attn", new SelfAttention(rng, config.hidden(), config.heads()));
        this.norm1 = child("layer_norm1", new LayerNorm(config.hidden(), eps));
        this.mlp = child("mlp", new Mlp(rng, config.hidden(), config.intermediate(), Activation.of(config.activation())));
        this.norm2 = child("layer_norm2", new LayerNorm(config.hidden(), eps));
    }

    /** x (B, T, C) → (B, T, C). */
    public Tensor forward(Tensor x) {
        Tensor n1 = norm1.forward(x);            // (B, T, C)
        Tensor h = attention.forward(n1, x);     // (B, T, C): x + attn(ln1(x)), the residual added in the projection's GEMM
        Tensor n2 = norm2.forward(h);            // (B, T, C)
        Tensor y = mlp.forward(n2, h);           // (B, T, C): h + mlp(ln2(h))
        if (!y.requiresGrad()) {
            BufferPool.recycle(n1);
            BufferPool.recycle(n2);
            BufferPool.recycle(h);
        }
        return y;
    }
}
