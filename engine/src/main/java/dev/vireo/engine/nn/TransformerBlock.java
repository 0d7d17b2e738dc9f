package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * A pre-LN transformer encoder layer (as in CLIP): x + attn(ln1(x)), then + mlp(ln2(x)). Names follow
 * Hugging Face's {@code CLIPEncoderLayer}: {@code self_attn}, {@code layer_norm1}, {@code mlp}, {@code layer_norm2}.
 */
public final class TransformerBlock extends Module {
    private final MultiHeadAttention attention;
    private final LayerNorm norm1;
    private final Mlp mlp;
    private final LayerNorm norm2;

    public TransformerBlock(Rng rng, int width, int heads, int mlpWidth, Activation activation) {
        this.attention = child("self_attn", new MultiHeadAttention(rng, width, heads));
        this.norm1 = child("layer_norm1", new LayerNorm(width));
        this.mlp = child("mlp", new Mlp(rng, width, mlpWidth, activation));
        this.norm2 = child("layer_norm2", new LayerNorm(width));
    }

    /** x (B, T, C) → (B, T, C) */
    public Tensor forward(Tensor x, boolean causal, Tensor keyPaddingMask) {
        // each residual add runs inside the GEMM of the branch's last projection
        Tensor n1 = norm1.forward(x);                                // (B, T, C)
        Tensor h = attention.forward(n1, causal, keyPaddingMask, x); // (B, T, C): x + attn(ln1(x))
        Tensor n2 = norm2.forward(h);                                // (B, T, C)
        Tensor y = mlp.forward(n2, h);                               // (B, T, C): h + mlp(ln2(h))
        if (!y.requiresGrad()) { // no graph holds them: the next block reuses their arrays
            BufferPool.recycle(n1);
            BufferPool.recycle(n2);
            BufferPool.recycle(h);
        }
        return y;
    }

    public MultiHeadAttention attention() {
        return attention;
    }

    public Mlp mlp() {
        return mlp;
    }
}
