package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Grads;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * Pointwise ops with NumPy broadcasting, forward and backward. Binary ops read strided inputs in
 * place (broadcast axes have stride 0) and run the kernels a row of the last axis at a time.
 */
public final class Elementwise {
    /** Elements per parallel chunk: large enough to amortise a task, fixed so results never depend on threads. */
    static final int CHUNK_ELEMENTS = 1 << 15;

    private Elementwise() {}

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = ComputeProvider.get().binary(BinaryOp.ADD, a.detach(), b.detach()); // (broadcast shape)
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        return Node.record(out, "add", (g, grads) -> {
            grads.accumulate(b, Broadcasting.reduceTo(g, os, bs));
            grads.accumulateOwned(a, Broadcasting.reduceTo(g, os, as)); // g's last use: a may keep it
        }, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = ComputeProvider.get().binary(BinaryOp.SUB, a.detach(), b.detach()); // (broadcast shape)
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        return Node.record(out, "sub", (g, grads) -> {
            if (b.requiresGrad()) {
                float[] gb = Broadcasting.reduceTo(g, os, bs);
                float[] neg = new float[gb.length];
                ComputeProvider.get().kernels().rows().affine(neg, 0, gb, 0, -1f, 0f, gb.length);
                grads.accumulateOwned(b, neg);
            }
            grads.accumulateOwned(a, Broadcasting.reduceTo(g, os, as)); // g's last use: a may keep it
        }, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = ComputeProvider.get().binary(BinaryOp.MUL, a.detach(), b.detach()); // (broadcast shape)
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        Tensor ad = a.detach(), bd = b.detach();
        return Node.record(out, "mul", (g, grads) -> {
            Tensor go = Tensor.of(g, os);
            if (a.requiresGrad()) grads.accumulateOwned(a, Broadcasting.reduceTo(binary(BinaryOp.MUL, go, bd).array(), os, as));
            if (b.requiresGrad()) grads.accumulateOwned(b, Broadcasting.reduceTo(binary(BinaryOp.MUL, go, ad).array(), os, bs));
        }, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = ComputeProvider.get().binary(BinaryOp.DIV, a.detach(), b.detach()); // (broadcast shape)
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        Tensor bd = b.detach();
        return Node.record(out, "div", (g, grads) -> {
            Tensor go = Tensor.of(g, os);
            Tensor ga = binary(BinaryOp.DIV, go, bd); // g / b
            if (b.requiresGrad()) {
                // d(a/b)/db = -(a/b)/b, so gb = -(g/b)·out
                float[] gb = binary(BinaryOp.MUL, ga, out.detach()).array();
                ComputeProvider.get().kernels().rows().affine(gb, 0, gb, 0, -1f, 0f, gb.length);
                grads.accumulateOwned(b, Broadcasting.reduceTo(gb, os, bs));
            }
            if (a.requiresGrad()) grads.accumulateOwned(a, Broadcasting.reduceTo(ga.array(), os, as)); // after b: ga's last use
        }, a, b);
    }

    /** alpha·x + beta (scalar add, scale, negate). */
    public static Tensor affine(Tensor x, float alpha, float beta) {
        Tensor xd = x.dense();
        int n = xd.numel();
        float[] out = new float[n];
        float[] xa = xd.array();
        int xo = xd.offset();
        RowKernels k = ComputeProvider.get().kernels().rows();
        ComputePool.global().parallelFor(n, CHUNK_ELEMENTS, (s, e) -> k.affine(out, s, xa, xo + s, alpha, beta, e - s));
        return Node.record(Tensor.of(out, x.shape()), "affine", (g, grads) -> {
            float[] gx = new float[g.length];
            k.affine(gx, 0, g, 0, alpha, 0f, g.length);
            grads.accumulateOwned(x, gx);
        }, x);
    }

    /** f(x) for one of the kernel functions (exp, tanh, sigmoid, relu, the GELUs); values from the compute provider. */
    public static Tensor unary(Tensor x, UnaryOp op) {
        Tensor xd = x.detach().dense();
        int n = xd.numel();
        float[] xa = xd.array();
        int xo = xd.offset();
        Tensor y = ComputeProvider.get().unary(op, xd); // (x's shape)
        RowKernels k = ComputeProvider.get().kernels().rows();
        return Node.record(y, op.name().toLowerCase(), (g, grads) -> {
            float[] gx = new float[n];
            ComputePool.global().parallelFor(n, CHUNK_ELEMENTS,
                    (s, e) -> k.unaryBackward(op, gx, s, xa, xo + s, g, s, e - s));
            grads.accumulateOwned(x, gx);
        }, x);
    }

    /** Natural logarithm. */
    public static Tensor log(Tensor x) {
        return pointwise(x, "log", v -> (float) Math.log(v), (v, y) -> 1f / v);
    }

    /** Square root. */
    public static Tensor sqrt(Tensor x) {
        return pointwise(x, "sqrt", v -> (float) Math.sqrt(v), (v, y) -> 0.5f / y);
    }

    /** |x|, with gradient sign(x) (0 at 0). */
    public static Tensor abs(Tensor x) {
        return pointwise(x, "abs", Math::abs, (v, y) -> Math.signum(v));
    }

    /** x^p for a constant exponent. */
    public static Tensor pow(Tensor x, float p) {
        return pointwise(x, "pow", v -> (float) Math.pow(v, p), (v, y) -> p == 0 ? 0f : p * (float) Math.pow(v, p - 1));
    }

    /** min(max(x, lo), hi); the gradient passes where lo ≤ x ≤ hi. */
    public static Tensor clamp(Tensor x, float lo, float hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: min " + lo + " > max " + hi);
        return pointwise(x, "clamp", v -> v < lo ? lo : (v > hi ? hi : v), (v, y) -> v >= lo && v <= hi ? 1f : 0f);
    }

    /** Where {@code mask} (broadcast to x) is non-zero, {@code value}; elsewhere x. */
    public static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        int[] shape = x.shape();
        int[] joint = Shapes.broadcast("maskedFill", shape, mask.shape());
        if (!Shapes.equal(joint, shape)) {
            throw new IllegalArgumentException("maskedFill: mask " + Shapes.str(mask.shape())
                    + " does not broadcast to the tensor's shape " + Shapes.str(shape));
        }
        float[] m = mask.expand(shape).dense().toArray(); // (same shape as x)
        float[] xs = x.dense().toArray();
        for (int i = 0; i < xs.length; i++) if (m[i] != 0f) xs[i] = value;
        return Node.record(Tensor.of(xs, shape), "maskedFill", (g, grads) -> {
            float[] gx = g.clone();
            for (int i = 0; i < gx.length; i++) if (m[i] != 0f) gx[i] = 0f;
            grads.accumulateOwned(x, gx);
        }, x);
    }

    @FunctionalInterface
    private interface Fn {
        float apply(float v);
    }

    @FunctionalInterface
    private interface Derivative {
        /** f'(v), given v and y = f(v). */
        float apply(float v, float y);
    }

    private static Tensor pointwise(Tensor x, String name, Fn f, Derivative df) {
        float[] xs = x.dense().toArray();
        float[] ys = new float[xs.length];
        for (int i = 0; i < xs.length; i++) ys[i] = f.apply(xs[i]);
        return Node.record(Tensor.of(ys, x.shape()), name, (g, grads) -> {
            float[] gx = new float[g.length];
            for (int i = 0; i < g.length; i++) gx[i] = df.apply(xs[i], ys[i]) * g[i];
            grads.accumulateOwned(x, gx);
        }, x);
    }

    /** The broadcast binary op on the host kernels, no autograd record (backward passes). */
    private static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return binaryValues(ComputeProvider.get().kernels().rows(), op, a, b);
    }

    /** The broadcast binary op on given row kernels, no autograd record: the CPU provider's forward pass. */
    static Tensor binaryValues(RowKernels k, BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(op.id(), a.shape(), b.shape());
        if (!a.storage().isHeap()) a = a.dense();
        if (!b.storage().isHeap()) b = b.dense();
        int n = Shapes.numel(shape);
        float[] out = new float[n];
        if (n == 0) return Tensor.of(out, shape);
        int rank = shape.length;
        int[] sa = Shapes.broadcastStrides(a.shape(), a.strides(), shape);
        int[] sb = Shapes.broadcastStrides(b.shape(), b.strides(), shape);
        int last = rank == 0 ? 1 : shape[rank - 1];
        int la = rank == 0 ? 1 : sa[rank - 1];
        int lb = rank == 0 ? 1 : sb[rank - 1];
        int rows = n / last;
        float[] aa = a.array(), ba = b.array();
        int ao = a.offset(), bo = b.offset();
        int rowsPerChunk = Math.max(1, CHUNK_ELEMENTS / last);
        ComputePool.global().parallelFor(rows, rowsPerChunk, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int pa = ao, pb = bo, rem = r;
                for (int d = rank - 2; d >= 0; d--) {
                    int i = rem % shape[d];
                    rem /= shape[d];
                    pa += i * sa[d];
                    pb += i * sb[d];
                }
                int po = r * last;
                if (la == 1 && lb == 1) {
                    switch (op) {
                        case ADD -> k.add(out, po, aa, pa, ba, pb, last);
                        case SUB -> k.sub(out, po, aa, pa, ba, pb, last);
                        case MUL -> k.mul(out, po, aa, pa, ba, pb, last);
                        case DIV -> k.div(out, po, aa, pa, ba, pb, last);
                    }
                } else {
                    for (int j = 0; j < last; j++) {
                        float x = aa[pa + j * la], y = ba[pb + j * lb];
                        out[po + j] = switch (op) {
                            case ADD -> x + y;
                            case SUB -> x - y;
                            case MUL -> x * y;
                            case DIV -> x / y;
                        };
                    }
                }
            }
        });
        return Tensor.of(out, shape);
    }

    /**
     * Inverted dropout (Srivastava et al. 2014): x itself when {@code p == 0} or not training; otherwise
     * x·mask/(1 - p) with mask ~ Bernoulli(1 - p), so inference needs no rescaling. The mask is drawn
     * from {@code rng} in row-major order, one draw per element: same seed, same mask.
     */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        if (p == 0f || !training) return x;
        float[] xs = x.toArray();
        float[] scale = new float[xs.length]; // 0 or 1/(1-p) per element
        float keep = p == 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < xs.length; i++) {
            scale[i] = rng.nextFloat() < p ? 0f : keep;
            xs[i] *= scale[i];
        }
        return Node.record(Tensor.of(xs, x.shape()), "dropout", (g, grads) -> {
            float[] gx = new float[g.length];
            for (int i = 0; i < g.length; i++) gx[i] = g[i] * scale[i];
            grads.accumulateOwned(x, gx);
        }, x);
    }
}
