package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * Normalisations: layer norm over the last axis (Ba, Kiros and Hinton 2016) with optional γ and β,
 * L2 normalisation along an axis and cosine similarity (torch.nn.functional.normalize and
 * cosine_similarity). Rows run in fixed chunks; per-chunk partial sums of dγ and dβ are combined
 * in chunk order, so results never depend on the thread count.
 */
public final class Norms {
    /** torch's default eps for layer norm. */
    public static final float LAYER_NORM_EPS = 1e-5f;
    /** torch's default eps for normalize. */
    public static final float NORMALIZE_EPS = 1e-12f;
    /** torch's default eps for cosine_similarity. */
    public static final float COSINE_EPS = 1e-8f;

    private Norms() {}

    /**
     * (x - μ)/√(σ² + eps)·γ + β over the last axis (biased σ², like torch). {@code gamma} and
     * {@code beta} have the size of the last axis; either may be null.
     */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        if (!Node.willRecord(x, gamma, beta)) return ComputeProvider.get().layerNorm(x, gamma, beta, eps);
        RowKernels k = ComputeProvider.get().kernels().rows();
        checkLayerNorm(x, gamma, beta);
        LastAxisRows xr = LastAxisRows.of(x);
        int n = xr.n(), rows = xr.rows();
        float[] xa = xr.array();
        float[] ga = gamma == null ? null : gamma.toArray(); // (C)
        float[] stats = new float[2 * rows]; // (μ, 1/σ) per row
        float[] ba = beta == null ? null : beta.toArray(); // (C)
        float[] y = layerNormValues(k, xr, ga, ba, eps, stats).array(); // (x's shape)
        int perChunk = Softmax.rowsPerChunk(n);
        return Node.record(Tensor.of(y, xr.shape()), "layerNorm", (g, grads) -> {
            boolean needGamma = gamma != null && gamma.requiresGrad();
            boolean needBeta = beta != null && beta.requiresGrad();
            int chunks = (rows + perChunk - 1) / perChunk;
            float[][] dGamma = new float[chunks][];
            float[][] dBeta = new float[chunks][];
            boolean needX = x.requiresGrad();
            float[] gx = needX ? BufferPool.take(y.length) : null; // (x's shape): every row is written below
            ComputePool.global().forEachChunk(chunks, c -> {
                float[] dg = needGamma ? new float[n] : null;
                float[] db = needBeta ? new float[n] : null;
                float[] scratch = needX ? null : new float[n]; // dx is computed anyway; discard it
                for (int r = c * perChunk, end = Math.min(rows, r + perChunk); r < end; r++) {
                    if (needX) k.layerNormBackwardRow(gx, r * n, g, r * n, xa, xr.at(r), ga, dg, db, n, stats, 2 * r);
                    else k.layerNormBackwardRow(scratch, 0, g, r * n, xa, xr.at(r), ga, dg, db, n, stats, 2 * r);
                }
                dGamma[c] = dg;
                dBeta[c] = db;
            });
            if (needX) grads.accumulateOwned(x, gx);
            if (needGamma) grads.accumulateOwned(gamma, sumInOrder(dGamma, n));
            if (needBeta) grads.accumulateOwned(beta, sumInOrder(dBeta, n));
        }, x, gamma, beta);
    }

    /** Layer norm on given row kernels and no gradient: the CPU provider's forward pass. */
    static Tensor layerNormValues(RowKernels k, Tensor x, Tensor gamma, Tensor beta, float eps) {
        checkLayerNorm(x, gamma, beta);
        return layerNormValues(k, LastAxisRows.of(x), gamma == null ? null : gamma.toArray(), beta == null ? null : beta.toArray(),
                eps, null);
    }

    /** The values of layer norm, writing each row's (μ, 1/σ) to {@code stats} (2 per row) unless it is null. */
    private static Tensor layerNormValues(RowKernels k, LastAxisRows xr, float[] ga, float[] ba, float eps, float[] stats) {
        int n = xr.n();
        float[] xa = xr.array();
        float[] y = BufferPool.take(xr.size()); // (x's shape): every row is written below
        ComputePool.global().parallelFor(xr.rows(), Softmax.rowsPerChunk(n), (r0, r1) -> {
            for (int r = r0; r < r1; r++) k.layerNormRow(y, r * n, xa, xr.at(r), ga, ba, n, eps, stats, 2 * r);
        });
        return Tensor.of(y, xr.shape());
    }

    private static void checkLayerNorm(Tensor x, Tensor gamma, Tensor beta) {
        int[] shape = x.shape();
        if (shape.length == 0) throw new IllegalArgumentException("layerNorm: needs rank >= 1, got a scalar");
        checkAffine("gamma", gamma, shape[shape.length - 1], shape);
        checkAffine("beta", beta, shape[shape.length - 1], shape);
    }

    private static void checkAffine(String name, Tensor t, int n, int[] xShape) {
        if (t != null && (t.rank() != 1 || t.size(0) != n)) {
            throw new IllegalArgumentException("layerNorm: " + name + " must have shape (" + n + ",) for input "
                    + Shapes.str(xShape) + ", got " + Shapes.str(t.shape()));
        }
    }

    private static float[] sumInOrder(float[][] parts, int n) {
        float[] total = new float[n];
        for (float[] p : parts) for (int i = 0; i < n; i++) total[i] += p[i];
        return total;
    }

    /** x / max(‖x‖₂, eps) along {@code axis}, like torch.nn.functional.normalize. */
    public static Tensor l2Normalize(Tensor x, int axis, float eps) {
        return Softmax.alongAxis("l2Normalize", x, axis, t -> l2NormalizeLast(t, eps));
    }

    private static Tensor l2NormalizeLast(Tensor x, float eps) {
        LastAxisRows xr = LastAxisRows.of(x);
        int n = xr.n(), rows = xr.rows();
        float[] xa = xr.array();
        float[] y = new float[xr.size()]; // (x's shape)
        float[] denom = new float[rows]; // max(‖x‖, eps) per row
        boolean[] clamped = new boolean[rows];
        RowKernels k = ComputeProvider.get().kernels().rows();
        ComputePool.global().parallelFor(rows, Softmax.rowsPerChunk(n), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                float norm = (float) Math.sqrt(k.dot(xa, xr.at(r), xa, xr.at(r), n));
                clamped[r] = !(norm > eps);
                denom[r] = clamped[r] ? eps : norm;
                k.affine(y, r * n, xa, xr.at(r), 1f / denom[r], 0f, n);
            }
        });
        return Node.record(Tensor.of(y, xr.shape()), "l2Normalize", (g, grads) -> {
            // unclamped: dx = (g - y·Σ g·y)/‖x‖; clamped: the denominator is the constant eps, dx = g/eps
            float[] gx = new float[y.length];
            ComputePool.global().parallelFor(rows, Softmax.rowsPerChunk(n), (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int o = r * n;
                    float inv = 1f / denom[r];
                    if (clamped[r]) {
                        k.affine(gx, o, g, o, inv, 0f, n);
                        continue;
                    }
                    float dot = k.dot(g, o, y, o, n);
                    k.affine(gx, o, y, o, -dot, 0f, n);
                    k.add(gx, o, gx, o, g, o, n);
                    k.affine(gx, o, gx, o, inv, 0f, n);
                }
            });
            grads.accumulateOwned(x, gx);
        }, x);
    }

    /**
     * Σ (a/max(‖a‖, eps))·(b/max(‖b‖, eps)) along {@code axis}, a and b broadcast (the formula of
     * torch ≥ 2.0's cosine_similarity; it matches torch 1.13 whenever both norms exceed eps).
     */
    public static Tensor cosineSimilarity(Tensor a, Tensor b, int axis, float eps) {
        int[] joint = Shapes.broadcast("cosineSimilarity", a.shape(), b.shape());
        int ax = Shapes.axis("cosineSimilarity", axis, joint.length);
        Tensor ea = Shapes.equal(a.shape(), joint) ? a : a.expand(joint); // (joint)
        Tensor eb = Shapes.equal(b.shape(), joint) ? b : b.expand(joint); // (joint)
        Tensor product = l2Normalize(ea, ax, eps).mul(l2Normalize(eb, ax, eps)); // (joint)
        return Reductions.sum(product, new int[] {ax}, false); // (joint without axis)
    }
}
