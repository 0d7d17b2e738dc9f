package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.autograd.Softmax;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * Multi-head attention (Vaswani et al. 2017), self or cross, with a causal mask and a key padding
 * mask, optionally returning the attention weights. Projections are named as in Hugging Face
 * ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code out_proj}).
 */
public final class MultiHeadAttention extends Module {
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;
    private final int width;
    private final int heads;

    /** What a forward pass returns: the output, and the weights (B, H, T, S) when asked for. */
    public record Output(Tensor output, Tensor weights) {}

    public MultiHeadAttention(Rng rng, int width, int heads) {
        if (width % heads != 0) throw new IllegalArgumentException("attention: width " + width + " not divisible by " + heads + " heads");
        this.width = width;
        this.heads = heads;
        this.qProj = child("q_proj", new Linear(rng, width, width, true));
        this.kProj = child("k_proj", new Linear(rng, width, width, true));
        this.vProj = child("v_proj", new Linear(rng, width, width, true));
        this.outProj = child("out_proj", new Linear(rng, width, width, true));
    }

    /** Self-attention of x (B, T, C) → (B, T, C). */
    public Tensor forward(Tensor x, boolean causal, Tensor keyPaddingMask) {
        return forward(x, causal, keyPaddingMask, null);
    }

    /** residual + self-attention of x (B, T, C) → (B, T, C), the residual added inside the output projection. */
    public Tensor forward(Tensor x, boolean causal, Tensor keyPaddingMask, Tensor residual) {
        return forward(x, x, causal, keyPaddingMask, false, residual).output();
    }

    /**
     * residual + attention of queries from {@code x} (B, T, C) over keys and values from
     * {@code context} (B, S, C), with no causal mask: a causal query at a known position sees the keys
     * up to it through {@code keyPaddingMask} (B, S) instead (1 = attend, 0 = hide; may be null).
     * The residual (B, T, C) is added inside the output projection.
     */
    public Tensor attend(Tensor x, Tensor context, Tensor keyPaddingMask, Tensor residual) {
        return forward(x, context, false, keyPaddingMask, false, residual).output();
    }

    /**
     * Attention of queries from {@code x} (B, T, C) over keys and values from {@code context} (B, S, C).
     *
     * @param keyPaddingMask (B, S) with 1 for keys to attend to and 0 for padding, or null
     */
    public Output forward(Tensor x, Tensor context, boolean causal, Tensor keyPaddingMask, boolean returnWeights) {
        return forward(x, context, causal, keyPaddingMask, returnWeights, null);
    }

    private Output forward(Tensor x, Tensor context, boolean causal, Tensor keyPaddingMask, boolean returnWeights, Tensor residual) {
        int b = x.size(0), t = x.size(1), s = context.size(1), d = width / heads;
        Tensor qAll, kAll, vAll;
        Tensor[] w = {qProj.weight().value(), kProj.weight().value(), vProj.weight().value()};
        Tensor[] bias = {qProj.bias().value(), kProj.bias().value(), vProj.bias().value()};
        if (x == context && !Node.willRecord(x, w[0], w[1], w[2], bias[0], bias[1], bias[2])) {
            // one product against the three weights stacked where the provider keeps them so (the CPU
            // provider, for registered weights): a third of the calls and one pass over x
            Tensor[] qkv = ComputeProvider.get().linears(x, w, bias);
            qAll = qkv[0]; // (B, T, C), maybe a view with the stacked row stride
            kAll = qkv[1]; // (B, T, C)
            vAll = qkv[2]; // (B, T, C)
        } else {
            qAll = qProj.forward(x);        // (B, T, C)
            kAll = kProj.forward(context);  // (B, S, C)
            vAll = vProj.forward(context);  // (B, S, C)
        }
        float scale = (float) (1.0 / Math.sqrt(d));
        if (!returnWeights && (t == s || !causal)) {
            // fused, tiled online-softmax attention on the projections' layout: no (T, S) score matrix
            // per head is kept, and no head is copied out or back
            Tensor merged = Attention.multiHead(qAll, kAll, vAll, heads, causal, keyPaddingMask, scale); // (B, T, C)
            Tensor out = outProj.forward(merged, null, residual); // (B, T, C)
            if (!out.requiresGrad()) { // no graph holds them
                BufferPool.recycleParts(qAll, kAll, vAll); // views of one stacked array, or three
                BufferPool.recycle(merged);
            }
            return new Output(out, null);
        }
        Tensor q = split(qAll, b, t, d);  // (B, H, T, D)
        Tensor k = split(kAll, b, s, d);  // (B, H, S, D)
        Tensor v = split(vAll, b, s, d);  // (B, H, S, D)
        Tensor scores = q.matmul(k.transpose(-1, -2)).mul(scale); // (B, H, T, S)
        if (causal) scores = scores.maskedFill(causalMask(t, s), Float.NEGATIVE_INFINITY);
        if (keyPaddingMask != null) {
            Tensor pad = keyPaddingMask.reshape(b, 1, 1, s).mul(-1f).add(1f); // (B, 1, 1, S): 1 where padded
            scores = scores.maskedFill(pad, Float.NEGATIVE_INFINITY);
        }
        Tensor weights = Softmax.softmax(scores, -1);       // (B, H, T, S)
        Tensor heads = weights.matmul(v);                   // (B, H, T, D)
        Tensor merged = heads.permute(0, 2, 1, 3).reshape(b, t, width); // (B, T, C)
        return new Output(outProj.forward(merged, null, residual), returnWeights ? weights : null);
    }

    /** (B, L, C) → (B, H, L, D) as a view. */
    private Tensor split(Tensor x, int b, int len, int d) {
        return x.reshape(b, len, heads, d).permute(0, 2, 1, 3);
    }

    /** (T, S) with 1 above the diagonal: query i may not see key j > i (keys aligned to the end when S > T). */
    static Tensor causalMask(int t, int s) {
        float[] m = new float[t * s];
        int shift = s - t;
        for (int i = 0; i < t; i++) for (int j = i + shift + 1; j < s; j++) m[i * s + j] = 1f;
        return Tensor.of(m, t, s);
    }

    public int heads() {
        return heads;
    }

    public Linear qProj() {
        return qProj;
    }

    public Linear kProj() {
        return kProj;
    }

    public Linear vProj() {
        return vProj;
    }

    public Linear outProj() {
        return outProj;
    }
}
