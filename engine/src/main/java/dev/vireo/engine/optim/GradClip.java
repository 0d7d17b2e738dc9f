package dev.vireo.engine.optim;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Tensor;

/**
 * Clipping by the global L2 norm of all gradients, as {@code torch.nn.utils.clip_grad_norm_}:
 * {@code total = ‖(‖g₁‖, ‖g₂‖, …)‖}, every gradient multiplied by {@code min(1, max / (total + 1e-6))}.
 * Non-finite norms are not an error (torch's default): the gradients become NaN and the step shows it.
 */
public final class GradClip {
    private static final float EPS = 1e-6f;
    private static final int CHUNK = 1 << 15;

    private GradClip() {}

    /** Clips the gradients of {@code params} in place and returns their total norm before clipping. */
    public static float clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be positive, got " + maxNorm);
        double sumSquares = 0;
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            float norm = norm(p.gradBuffer());
            sumSquares += (double) norm * norm;
        }
        float total = (float) Math.sqrt(sumSquares);
        // torch evaluates max_norm / t as t.reciprocal() * max_norm (Tensor.__rtruediv__), in float32
        float coef = Math.min(1f, (1f / (total + EPS)) * (float) maxNorm);
        if (coef < 1f || Float.isNaN(coef)) {
            for (Tensor p : params) {
                if (p.grad() == null) continue;
                float[] g = p.gradBuffer();
                ComputePool.global().parallelFor(g.length, CHUNK, (from, to) -> {
                    for (int i = from; i < to; i++) g[i] *= coef;
                });
            }
        }
        return total;
    }

    /** Float32 L2 norm, accumulated in double over fixed chunks (the same bits for any thread count). */
    private static float norm(float[] g) {
        int chunks = (g.length + CHUNK - 1) / CHUNK;
        double s = ComputePool.global().sumChunks(chunks, c -> {
            double part = 0;
            for (int i = c * CHUNK, end = Math.min(g.length, i + CHUNK); i < end; i++) part += (double) g[i] * g[i];
            return part;
        });
        return (float) Math.sqrt(s);
    }
}
