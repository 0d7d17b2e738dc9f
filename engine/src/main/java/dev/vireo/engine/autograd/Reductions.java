package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Reductions over a set of axes with torch semantics: sum, mean, max (gradient to the first
 * maximum), logsumexp and variance with a correction. An empty axis list reduces every axis.
 * Each output element is reduced by one task in a fixed order, so results never depend on the
 * thread count. The (outer, reduce, inner) layout the loops walk is described by {@link ReducePlan}.
 */
public final class Reductions {
    private Reductions() {}

    /** Σ of all elements, as a rank-0 tensor. Summed in fixed chunks, combined in chunk order. */
    public static Tensor sum(Tensor x) {
        Tensor xd = x.detach().dense();
        float[] xa = xd.array();
        int xo = xd.offset(), n = xd.numel();
        int chunk = Elementwise.CHUNK_ELEMENTS;
        RowKernels k = ComputeProvider.get().kernels().rows();
        double total = ComputePool.global().sumChunks((n + chunk - 1) / chunk,
                c -> k.sum(xa, xo + c * chunk, Math.min(chunk, n - c * chunk)));
        Tensor out = Tensor.of(new float[] {(float) total}); // ()
        return Node.record(out, "sum", (g, grads) -> {
            float[] gx = new float[n];
            Arrays.fill(gx, g[0]);
            grads.accumulateOwned(x, gx);
        }, x);
    }

    /** Σ over {@code axes}; with {@code keepdim} the reduced axes stay with size 1. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepdim) {
        return sumOrMean("sum", x, axes, keepdim, false);
    }

    /** Arithmetic mean over {@code axes} (NaN over an empty set, like torch). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        return sumOrMean("mean", x, axes, keepdim, true);
    }

    private static Tensor sumOrMean(String op, Tensor x, int[] axes, boolean keepdim, boolean mean) {
        ReducePlan p = ReducePlan.of(op, x, axes, keepdim);
        float[] out = new float[p.outer * p.inner];
        float scale = mean ? 1f / p.reduce : 1f;
        RowKernels k = ComputeProvider.get().kernels().rows();
        p.forEachBlock((o, j0, j1) -> {
            int base = p.xo + o * p.reduce * p.inner;
            if (p.inner == 1) {
                out[o] = k.sum(p.xa, base, p.reduce) * scale;
                return;
            }
            double[] acc = new double[j1 - j0];
            for (int r = 0; r < p.reduce; r++) {
                int row = base + r * p.inner;
                for (int j = j0; j < j1; j++) acc[j - j0] += p.xa[row + j];
            }
            for (int j = j0; j < j1; j++) out[o * p.inner + j] = (float) acc[j - j0] * scale;
        });
        Tensor result = Tensor.of(out, p.outShape);
        return Node.record(result, op, (g, grads) -> {
            grads.accumulateOwned(x, p.inputGrad((xi, i) -> g[i] * scale));
        }, x);
    }

    /** Maximum over {@code axes}; the gradient goes to the first maximal element (NaN wins, like torch). */
    public static Tensor max(Tensor x, int[] axes, boolean keepdim) {
        ReducePlan p = ReducePlan.of("max", x, axes, keepdim);
        if (p.reduce == 0) {
            throw new IllegalArgumentException("max: cannot reduce over axes " + Arrays.toString(axes)
                    + " of size 0 in shape " + Shapes.str(x.shape()));
        }
        float[] out = new float[p.outer * p.inner];
        int[] argmax = new int[out.length];
        RowKernels k = ComputeProvider.get().kernels().rows();
        p.forEachBlock((o, j0, j1) -> {
            int base = p.xo + o * p.reduce * p.inner;
            if (p.inner == 1) {
                float m = k.max(p.xa, base, p.reduce);
                int r = 0;
                if (m == m) {
                    while (p.xa[base + r] != m) r++;
                } else {
                    while (p.xa[base + r] == p.xa[base + r]) r++;
                }
                out[o] = m;
                argmax[o] = r;
                return;
            }
            for (int j = j0; j < j1; j++) {
                float m = p.xa[base + j];
                int best = 0;
                for (int r = 1; r < p.reduce && m == m; r++) {
                    float v = p.xa[base + r * p.inner + j];
                    if (v > m || v != v) {
                        m = v;
                        best = r;
                    }
                }
                out[o * p.inner + j] = m;
                argmax[o * p.inner + j] = best;
            }
        });
        Tensor result = Tensor.of(out, p.outShape);
        return Node.record(result, "max", (g, grads) -> {
            float[] gx = new float[p.outer * p.reduce * p.inner];
            for (int o = 0; o < p.outer; o++) {
                for (int j = 0; j < p.inner; j++) {
                    int i = o * p.inner + j;
                    gx[(o * p.reduce + argmax[i]) * p.inner + j] = g[i];
                }
            }
            grads.accumulateOwned(x, p.toInputOrder(gx));
        }, x);
    }

    /** log Σ exp(x) over {@code axes}, shifted by the maximum for stability (-∞ over an empty set). */
    public static Tensor logsumexp(Tensor x, int[] axes, boolean keepdim) {
        ReducePlan p = ReducePlan.of("logsumexp", x, axes, keepdim);
        float[] out = new float[p.outer * p.inner];
        RowKernels k = ComputeProvider.get().kernels().rows();
        p.forEachBlock((o, j0, j1) -> {
            int base = p.xo + o * p.reduce * p.inner;
            for (int j = j0; j < j1; j++) {
                float m;
                if (p.inner == 1) {
                    m = k.max(p.xa, base, p.reduce);
                } else {
                    m = Float.NEGATIVE_INFINITY;
                    for (int r = 0; r < p.reduce; r++) m = Math.max(m, p.xa[base + r * p.inner + j]);
                }
                if (Float.isInfinite(m) || m != m) {
                    out[o * p.inner + j] = m; // all -∞ (or empty), a +∞, or a NaN decides the result
                    continue;
                }
                double s = 0;
                for (int r = 0; r < p.reduce; r++) s += Math.exp(p.xa[base + r * p.inner + j] - m);
                out[o * p.inner + j] = m + (float) Math.log(s);
            }
        });
        Tensor result = Tensor.of(out, p.outShape);
        return Node.record(result, "logsumexp", (g, grads) -> {
            // d lse / dx = exp(x - lse), the softmax over the reduced elements
            grads.accumulateOwned(x, p.inputGrad((xi, i) -> g[i] * (float) Math.exp(p.xa[xi] - out[i])));
        }, x);
    }

    /**
     * Variance over {@code axes}: Σ(x - mean)² / (n - correction). Correction 1 is torch's default
     * (unbiased), 0 the population variance. Two passes, so large means do not cancel precision.
     */
    public static Tensor var(Tensor x, int[] axes, int correction, boolean keepdim) {
        if (correction < 0) throw new IllegalArgumentException("var: correction must be >= 0, got " + correction);
        ReducePlan p = ReducePlan.of("var", x, axes, keepdim);
        float[] out = new float[p.outer * p.inner];
        float[] means = new float[out.length];
        double denom = p.reduce - correction; // 0 gives NaN or ∞, as in torch
        p.forEachBlock((o, j0, j1) -> {
            int base = p.xo + o * p.reduce * p.inner;
            for (int j = j0; j < j1; j++) {
                double s = 0;
                for (int r = 0; r < p.reduce; r++) s += p.xa[base + r * p.inner + j];
                double mu = s / p.reduce;
                double ss = 0;
                for (int r = 0; r < p.reduce; r++) {
                    double d = p.xa[base + r * p.inner + j] - mu;
                    ss += d * d;
                }
                means[o * p.inner + j] = (float) mu;
                out[o * p.inner + j] = (float) (ss / denom);
            }
        });
        Tensor result = Tensor.of(out, p.outShape);
        return Node.record(result, "var", (g, grads) -> {
            // d var / dx = 2(x - mean) / (n - correction)
            float scale = (float) (2.0 / denom);
            grads.accumulateOwned(x, p.inputGrad((xi, i) -> g[i] * scale * (p.xa[xi] - means[i])));
        }, x);
    }
}
