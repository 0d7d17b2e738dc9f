package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * Cross-entropy over logits with integer targets, fused with log-softmax (torch.nn.functional.
 * cross_entropy, reduction 'mean'): rows whose target is {@code ignoreIndex} contribute nothing
 * and are not counted; label smoothing ε mixes the one-hot target with the uniform distribution.
 * Per-row losses are summed in row order, so the result never depends on the thread count.
 */
public final class Losses {
    /** torch's default ignore_index. */
    public static final int IGNORE_INDEX = -100;

    private Losses() {}

    /** Mean cross-entropy of logits (N, C) against targets in [0, C). */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return crossEntropy(logits, targets, IGNORE_INDEX, 0f);
    }

    /**
     * Σᵢ [(1-ε)·(-log pᵢ[tᵢ]) + ε·mean_c(-log pᵢ[c])] / (rows not ignored), p = softmax(logits).
     * Zero rows counted gives NaN, like torch.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex, float labelSmoothing) {
        int[] shape = logits.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be (N, C), got " + Shapes.str(shape));
        }
        int rows = shape[0], c = shape[1];
        if (targets.length != rows) {
            throw new IllegalArgumentException("crossEntropy: " + targets.length + " targets for logits " + Shapes.str(shape));
        }
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        int counted = 0;
        for (int i = 0; i < rows; i++) {
            int t = targets[i];
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= c) {
                throw new IndexOutOfBoundsException("crossEntropy: target " + t + " of row " + i + " is outside [0, " + c
                        + ") and is not the ignore index " + ignoreIndex);
            }
            counted++;
        }
        Tensor xd = logits.detach().dense();
        float[] xa = xd.array();
        int xo = xd.offset();
        float[] logp = new float[rows * c]; // (N, C)
        float[] rowLoss = new float[rows];
        float eps = labelSmoothing;
        RowKernels k = ComputeProvider.get().kernels().rows();
        int perChunk = Softmax.rowsPerChunk(c);
        ComputePool.global().parallelFor(rows, perChunk, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                if (targets[r] == ignoreIndex) continue;
                int o = r * c;
                k.logSoftmaxRow(logp, o, xa, xo + o, c);
                float nll = -logp[o + targets[r]];
                rowLoss[r] = eps == 0f ? nll : (1f - eps) * nll - eps * k.sum(logp, o, c) / c;
            }
        });
        double total = 0;
        for (float l : rowLoss) total += l;
        int n = counted;
        Tensor out = Tensor.of(new float[] {(float) (total / n)}); // ()
        return Node.record(out, "crossEntropy", (g, grads) -> {
            // d loss / d logits = (softmax - q)/n with q = (1-ε)·onehot(t) + ε/C; ignored rows get 0
            float[] gx = new float[rows * c];
            float scale = g[0] / n;
            ComputePool.global().parallelFor(rows, perChunk, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    if (targets[r] == ignoreIndex) continue;
                    int o = r * c;
                    k.unary(UnaryOp.EXP, gx, o, logp, o, c);
                    k.affine(gx, o, gx, o, scale, -scale * eps / c, c);
                    gx[o + targets[r]] -= scale * (1f - eps);
                }
            });
            grads.accumulateOwned(logits, gx);
        }, logits);
    }

    /**
     * Mean binary cross-entropy of logits x against targets t in [0, 1] of the same shape
     * (torch.nn.functional.binary_cross_entropy_with_logits, reduction 'mean'), in its stable form
     * max(x, 0) - x·t + log(1 + e^-|x|); the gradient is (σ(x) - t)/n. Summed in element order in
     * double, so the value never depends on the thread count. Soft targets are what VQA's classifier
     * heads learn from (a score per answer from how many annotators gave it).
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, float[] targets) {
        int n = (int) logits.numel();
        if (targets.length != n) {
            throw new IllegalArgumentException("binaryCrossEntropyWithLogits: " + targets.length + " targets for logits " + Shapes.str(logits.shape()));
        }
        for (int i = 0; i < n; i++) {
            if (!(targets[i] >= 0f && targets[i] <= 1f)) {
                throw new IllegalArgumentException("binaryCrossEntropyWithLogits: target " + i + " is " + targets[i] + ", outside [0, 1]");
            }
        }
        float[] x = logits.detach().toArray();
        double total = 0;
        for (int i = 0; i < n; i++) total += Math.max(x[i], 0.0) - x[i] * (double) targets[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        Tensor out = Tensor.of(new float[] {(float) (total / n)}); // ()
        return Node.record(out, "binaryCrossEntropyWithLogits", (g, grads) -> {
            float[] gx = new float[n];
            float scale = g[0] / n;
            for (int i = 0; i < n; i++) gx[i] = scale * (float) (1 / (1 + Math.exp(-x[i])) - targets[i]);
            grads.accumulateOwned(logits, gx);
        }, logits);
    }
}
