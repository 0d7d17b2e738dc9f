package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.attention.AttentionKernel;
import dev.vireo.engine.kernel.attention.AttentionShape;
import dev.vireo.engine.kernel.attention.ScalarAttentionKernel;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * Fused multi-head scaled dot-product attention as one autograd op:
 * O = softmax(scale·Q·Kᵀ + mask)·V over q (B, H, Tq, D), k (B, H, Tk, D), v (B, H, Tk, Dv).
 * Inputs may be strided views (say a (B, T, 3, H, D) projection permuted): they are read in place
 * when the head axis has unit stride. Heads run in parallel on the {@link ComputePool}, one head a
 * unit of {@link ComputePool#forEachUnit} (each thread walks its own run of heads, the last ones go to
 * whichever thread is free): a request's 12 heads in six tasks of two left one thread waiting 45-60 µs
 * of each ~200 µs call. Each head is computed whole by one thread, so results do not depend on the
 * thread count. The per-row log-sum-exp is
 * saved, and for heads that fit one tile the probabilities too ({@link AttentionKernel#savedSize}).
 */
public final class Attention {
    private static final ThreadLocal<float[][]> WORKSPACE = ThreadLocal.withInitial(() -> new float[1][0]);

    private Attention() {}

    /**
     * Attention with an optional causal mask and padding mask ((B, Tk), 1 = keep, 0 = hide; may be null).
     * A query row that sees no key outputs zeros.
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, boolean causal, Tensor paddingMask, float scale) {
        return scaledDotProduct(q, k, v, causal, paddingMask, scale, ComputeProvider.get().kernels().attention());
    }

    /** As above with a given kernel (tests compare the tiled kernel with the reference this way). */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, boolean causal, Tensor paddingMask,
                                          float scale, AttentionKernel kernel) {
        Heads hq = Heads.of(q), hk = Heads.of(k), hv = Heads.of(v);
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        int b = qs[0], h = qs[1];
        if (ks[0] != b || ks[1] != h || vs[0] != b || vs[1] != h || ks[3] != qs[3] || vs[2] != ks[2]) {
            throw new IllegalArgumentException("attention: q " + Shapes.str(qs) + ", k " + Shapes.str(ks) + ", v "
                    + Shapes.str(vs) + " do not fit (B, H, Tq, D), (B, H, Tk, D), (B, H, Tk, Dv)");
        }
        AttentionShape s = new AttentionShape(qs[2], ks[2], qs[3], vs[3], scale, causal);
        return attend(hq, hk, hv, b, h, s, keepMask(paddingMask, b, s.tk()), Layout.headsFirst(h, s.tq(), s.dv()),
                Layout.headsFirst(h, s.tq(), s.d()), Layout.headsFirst(h, s.tk(), s.d()), Layout.headsFirst(h, s.tk(), s.dv()),
                new int[] {b, h, s.tq(), s.dv()}, kernel);
    }

    /**
     * Multi-head attention on the projections' own layout: q (B, Tq, H·D), k (B, Tk, H·D), v (B, Tk, H·Dv)
     * → (B, Tq, H·Dv), head h in columns [h·D, (h+1)·D). Heads are read, written and given their
     * gradients in place: no (B, H, T, D) permuted copies in either direction.
     */
    public static Tensor multiHead(Tensor q, Tensor k, Tensor v, int heads, boolean causal, Tensor paddingMask, float scale) {
        if (!Node.willRecord(q, k, v)) return ComputeProvider.get().attention(q, k, v, heads, causal, paddingMask, scale);
        return multiHeadValues(ComputeProvider.get().kernels().attention(), q, k, v, heads, causal, paddingMask, scale);
    }

    /** {@link #multiHead} on a given kernel: the CPU provider's forward pass, and the recorded op's. */
    static Tensor multiHeadValues(AttentionKernel kernel, Tensor q, Tensor k, Tensor v, int heads, boolean causal,
                                  Tensor paddingMask, float scale) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 3 || ks.length != 3 || vs.length != 3 || ks[0] != qs[0] || vs[0] != qs[0] || vs[1] != ks[1]
                || ks[2] != qs[2] || heads <= 0 || qs[2] % heads != 0 || vs[2] % heads != 0) {
            throw new IllegalArgumentException("attention: q " + Shapes.str(qs) + ", k " + Shapes.str(ks) + ", v " + Shapes.str(vs)
                    + " with " + heads + " heads do not fit (B, Tq, H·D), (B, Tk, H·D), (B, Tk, H·Dv)");
        }
        int b = qs[0], d = qs[2] / heads, dv = vs[2] / heads;
        AttentionShape s = new AttentionShape(qs[1], ks[1], d, dv, scale, causal);
        return attend(Heads.ofTokens(q, d), Heads.ofTokens(k, d), Heads.ofTokens(v, dv), b, heads, s, keepMask(paddingMask, b, s.tk()),
                Layout.tokensFirst(heads, s.tq(), dv), Layout.tokensFirst(heads, s.tq(), d), Layout.tokensFirst(heads, s.tk(), d),
                Layout.tokensFirst(heads, s.tk(), dv), new int[] {b, s.tq(), heads * dv}, kernel);
    }

    /**
     * The op itself: O in layout {@code lo}; the gradients of q, k, v (dense in their tensors' shapes) in
     * layouts {@code lq}, {@code lk}, {@code lv}.
     */
    private static Tensor attend(Heads hq, Heads hk, Heads hv, int b, int h, AttentionShape s, float[] keep,
                                 Layout lo, Layout lq, Layout lk, Layout lv, int[] outShape, AttentionKernel kernel) {
        float[] out = BufferPool.take(b * h * s.tq() * s.dv()); // (outShape): every row is written by the kernel
        float[] lse = new float[b * h * s.tq()];         // (B, H, Tq)
        int perHead = kernel.savedSize(s);
        boolean training = Node.willRecord(hq.tensor, hk.tensor, hv.tensor);
        // (B, H, saved): every float a head's backward reads is written by its forward
        float[] saved = training && perHead > 0 ? BufferPool.take(Math.multiplyExact(b * h, perHead)) : null;
        ComputePool.global().forEachUnit(b * h, bh -> {
            int bi = bh / h, hi = bh % h;
            kernel.forward(out, lo.offset(bi, hi), lo.ld(), lse, bh * s.tq(),
                    hq.data, hq.offset(bi, hi), hq.ld, hk.data, hk.offset(bi, hi), hk.ld, hv.data, hv.offset(bi, hi), hv.ld,
                    keep, bi * s.tk(), saved, bh * perHead, s, workspace(kernel.workspaceSize(s)));
        });
        Tensor result = Tensor.of(out, outShape);
        return Node.record(result, "attention", (g, grads) -> {
            float[] dq = orScratch(grads.buffer(hq.tensor), hq.tensor);
            float[] dk = orScratch(grads.buffer(hk.tensor), hk.tensor);
            float[] dv = orScratch(grads.buffer(hv.tensor), hv.tensor);
            ComputePool.global().forEachUnit(b * h, bh -> {
                int bi = bh / h, hi = bh % h;
                kernel.backward(dq, lq.offset(bi, hi), lq.ld(), dk, lk.offset(bi, hi), lk.ld(), dv, lv.offset(bi, hi), lv.ld(),
                        g, lo.offset(bi, hi), lo.ld(), out, lo.offset(bi, hi), lo.ld(), lse, bh * s.tq(),
                        hq.data, hq.offset(bi, hi), hq.ld, hk.data, hk.offset(bi, hi), hk.ld, hv.data, hv.offset(bi, hi), hv.ld,
                        keep, bi * s.tk(), saved, bh * perHead, s, workspace(kernel.workspaceSize(s)));
            });
            BufferPool.recycle(saved); // the node runs once: nobody reads the probabilities again
        }, hq.tensor, hk.tensor, hv.tensor);
    }

    /** Where one head's rows lie in a dense array: element (b, h, t, c) at b·sb + h·sh + t·ld + c. */
    private record Layout(int sb, int sh, int ld) {
        /** (B, H, T, D) row-major. */
        static Layout headsFirst(int h, int t, int d) {
            return new Layout(h * t * d, t * d, Math.max(d, 1));
        }

        /** (B, T, H·D) row-major: a head is D columns of every token's row. */
        static Layout tokensFirst(int h, int t, int d) {
            return new Layout(t * h * d, d, Math.max(h * d, 1));
        }

        int offset(int b, int h) {
            return b * sb + h * sh;
        }
    }

    /**
     * The attention probabilities softmax(scale·Q·Kᵀ + mask), shape (B, H, Tq, Tk), for inspection:
     * the plain reference computation, not recorded for autograd.
     */
    public static Tensor weights(Tensor q, Tensor k, boolean causal, Tensor paddingMask, float scale) {
        Heads hq = Heads.of(q), hk = Heads.of(k);
        int[] qs = q.shape(), ks = k.shape();
        if (ks[0] != qs[0] || ks[1] != qs[1] || ks[3] != qs[3]) {
            throw new IllegalArgumentException("attention weights: q " + Shapes.str(qs) + " and k " + Shapes.str(ks)
                    + " do not fit (B, H, Tq, D), (B, H, Tk, D)");
        }
        int b = qs[0], h = qs[1];
        AttentionShape s = new AttentionShape(qs[2], ks[2], qs[3], qs[3], scale, causal);
        float[] keep = keepMask(paddingMask, b, s.tk());
        float[] p = new float[b * h * s.tq() * s.tk()]; // (B, H, Tq, Tk)
        ComputePool.global().forEachChunk(b * h, bh -> {
            int bi = bh / h, hi = bh % h;
            float[] lse = new float[s.tq()];
            float[] head = new float[s.tq() * s.tk()];
            ScalarAttentionKernel.probabilities(head, hq.data, hq.offset(bi, hi), hq.ld, hk.data, hk.offset(bi, hi), hk.ld,
                    keep, bi * s.tk(), s, lse, 0);
            System.arraycopy(head, 0, p, bh * head.length, head.length);
        });
        return Tensor.of(p, b, h, s.tq(), s.tk());
    }

    /**
     * Splits a fused projection (B, T, 3, H, D) into q, k, v of shape (B, H, T, D) as strided views
     * (no copy; {@link #scaledDotProduct} reads them in place). Each view's gradient is scattered
     * back into its slot of the projection.
     */
    public static Tensor[] splitQkv(Tensor qkv) {
        int[] s = qkv.shape();
        if (s.length != 5 || s[2] != 3) {
            throw new IllegalArgumentException("attention: splitQkv expects (B, T, 3, H, D), got " + Shapes.str(s));
        }
        int b = s[0], t = s[1], h = s[3], d = s[4];
        int[] st = qkv.strides();
        Tensor[] out = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            int slot = i;
            Tensor view = new Tensor(qkv.storage(), new int[] {b, h, t, d}, new int[] {st[0], st[3], st[1], st[4]},
                    qkv.offset() + i * st[2]); // (B, H, T, D)
            out[i] = Node.record(view, "splitQkv", (g, grads) -> {
                float[] full = new float[qkv.numel()]; // (B, T, 3, H, D)
                for (int bi = 0; bi < b; bi++) {
                    for (int hi = 0; hi < h; hi++) {
                        for (int ti = 0; ti < t; ti++) {
                            System.arraycopy(g, ((bi * h + hi) * t + ti) * d, full, (((bi * t + ti) * 3 + slot) * h + hi) * d, d);
                        }
                    }
                }
                grads.accumulate(qkv, full);
            }, qkv);
        }
        return out;
    }

    private static float[] keepMask(Tensor mask, int b, int tk) {
        if (mask == null) return null;
        int[] ms = mask.shape();
        if (ms.length != 2 || ms[0] != b || ms[1] != tk) {
            throw new IllegalArgumentException("attention: padding mask " + Shapes.str(ms) + " must be (B, Tk) = ("
                    + b + ", " + tk + ")");
        }
        return mask.toArray();
    }

    private static float[] orScratch(float[] buffer, Tensor t) {
        return buffer != null ? buffer : new float[t.numel()];
    }

    private static float[] workspace(int size) {
        float[][] holder = WORKSPACE.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }

    /** A (B, H, T, D) operand read in place: heap data, strides of the batch, head and token axes. */
    private record Heads(Tensor tensor, float[] data, int base, int sb, int sh, int ld) {
        static Heads of(Tensor x) {
            if (x.rank() != 4) {
                throw new IllegalArgumentException("attention: expected (B, H, T, D), got " + Shapes.str(x.shape()));
            }
            int[] st = x.strides();
            if (!x.storage().isHeap() || (st[3] != 1 && x.size(3) > 1)) x = x.dense();
            st = x.strides();
            return new Heads(x, x.array(), x.offset(), st[0], st[1], st[2]);
        }

        /** A (B, T, H·D) operand: head h is columns [h·D, (h+1)·D) of each token's row. */
        static Heads ofTokens(Tensor x, int d) {
            if (!x.storage().isHeap() || x.strides()[2] != 1 && x.size(2) > 1) x = x.dense();
            int[] st = x.strides();
            return new Heads(x, x.array(), x.offset(), st[0], d, st[1]);
        }

        int offset(int b, int h) {
            return base + b * sb + h * sh;
        }
    }
}
