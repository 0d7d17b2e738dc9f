package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.EncoderLayer;
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

    /**
     * The block's output at one position per sequence: x (B, T, C) and {@code positions[b]} in
     * [0, T) → (B, 1, C), the rows {@code forward(x, causal, keyPaddingMask)} has there. Keys and
     * values still come from every position (with {@code causal}, those up to the position), but the
     * queries, the output projection and the MLP run on the B kept rows alone: the last block of an
     * encoder whose caller pools one token (CLIP's class or end-of-text token) does about 1/T of
     * their work.
     */
    public Tensor forwardAt(Tensor x, int[] positions, boolean causal, Tensor keyPaddingMask) {
        int b = x.size(0), t = x.size(1), c = x.size(2);
        int[] rows = rowsAt(positions, b, t);
        Tensor keep = causal ? keepUpTo(positions, t, keyPaddingMask) : keyPaddingMask; // (B, T) or null
        Tensor n1 = norm1.forward(x);                                            // (B, T, C)
        Tensor xAt = x.reshape(b * t, c).indexSelect(0, rows).reshape(b, 1, c);  // (B, 1, C)
        Tensor n1At = n1.reshape(b * t, c).indexSelect(0, rows).reshape(b, 1, c); // (B, 1, C): LN is row by row
        Tensor h = attention.attend(n1At, n1, keep, xAt);                        // (B, 1, C): x + attn(ln1(x)) at the rows
        Tensor n2 = norm2.forward(h);                                            // (B, 1, C)
        Tensor y = mlp.forward(n2, h);                                           // (B, 1, C)
        if (!y.requiresGrad()) {
            for (Tensor dead : new Tensor[] {n1, xAt, n1At, n2, h}) BufferPool.recycle(dead);
        }
        return y;
    }

    /**
     * x (B, T, C) → the block's output, as {@link #forward} gives it up to rounding (the residual is
     * added after the output projection, not inside it), with its attention probabilities
     * (B, H, T, T): what an explanation reads, e.g. attention rollout through an encoder.
     */
    public MultiHeadAttention.Output forwardWithAttention(Tensor x, boolean causal) {
        Tensor n1 = norm1.forward(x);                                                       // (B, T, C)
        MultiHeadAttention.Output a = attention.forward(n1, n1, causal, null, true);        // (B, T, C), (B, H, T, T)
        Tensor h = a.output().add(x);                                                       // (B, T, C): x + attn(ln1(x))
        Tensor y = mlp.forward(norm2.forward(h), h);                                        // (B, T, C): h + mlp(ln2(h))
        return new MultiHeadAttention.Output(y, a.weights());
    }

    /**
     * The rows of a (B·T, C) view that hold {@code positions[b]} of each sequence b; a clear error for
     * a count other than B or a position outside [0, T).
     */
    public static int[] rowsAt(int[] positions, int batch, int length) {
        if (positions.length != batch) {
            throw new IllegalArgumentException("transformer block: " + positions.length + " positions for a batch of " + batch);
        }
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) {
            if (positions[i] < 0 || positions[i] >= length) {
                throw new IllegalArgumentException("transformer block: position " + positions[i] + " of sequence " + i + " outside 0.." + (length - 1));
            }
            rows[i] = i * length + positions[i];
        }
        return rows;
    }

    /** (B, T): 1 for the keys a causal query at {@code positions[b]} sees (and the padding mask keeps), else 0. */
    private static Tensor keepUpTo(int[] positions, int t, Tensor keyPaddingMask) {
        float[] keep = new float[positions.length * t]; // (B, T)
        float[] pad = keyPaddingMask == null ? null : keyPaddingMask.contiguous().toArray();
        for (int b = 0; b < positions.length; b++) {
            for (int j = 0; j <= positions[b]; j++) keep[b * t + j] = pad == null ? 1f : pad[b * t + j];
        }
        return Tensor.of(keep, positions.length, t);
    }

    /** This block's weights as a device plans them ({@link ComputeProvider#encoder}); null where a projection has no bias. */
    public EncoderLayer layer() {
        Linear[] all = {attention.qProj(), attention.kProj(), attention.vProj(), attention.outProj(), mlp.fc1(), mlp.fc2()};
        for (Linear l : all) if (l.bias() == null) return null;
        return new EncoderLayer(norm1.weight().value(), norm1.bias().value(), norm1.eps(),
                attention.qProj().weight().value(), attention.qProj().bias().value(), attention.kProj().weight().value(),
                attention.kProj().bias().value(), attention.vProj().weight().value(), attention.vProj().bias().value(),
                attention.outProj().weight().value(), attention.outProj().bias().value(), attention.heads(),
                norm2.weight().value(), norm2.bias().value(), norm2.eps(),
                mlp.fc1().weight().value(), mlp.fc1().bias().value(), mlp.activation().unaryOp(), mlp.fc2().weight().value(), mlp.fc2().bias().value());
    }

    public MultiHeadAttention attention() {
        return attention;
    }

    public Mlp mlp() {
        return mlp;
    }
}
