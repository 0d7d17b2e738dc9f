package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.contrastive.PairwiseLogits;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Contrastive image-text losses over a batch of N pairs, computed in blocks of rows so memory is
 * O(N·block), never N² ({@link PairwiseLogits}); backward recomputes each block.
 * <ul>
 *   <li>CLIP's symmetric InfoNCE (Radford et al. 2021): logits = e^t·I·Tᵀ,
 *       loss = (CE(logits, arange N) + CE(logitsᵀ, arange N)) / 2. One pass finds the log-sum-exp of
 *       every row and, online across blocks, of every column.</li>
 *   <li>SigLIP's pairwise sigmoid loss (Zhai et al. 2023): logits = e^t·I·Tᵀ + b,
 *       loss = (1/N)·Σ_ij softplus(-z_ij·logit_ij), z = +1 on the diagonal, else -1.</li>
 * </ul>
 * The embeddings are used as given (normalise them first); t (and b) are one-element tensors.
 */
public final class ContrastiveLoss {
    /** Columns per task of the column statistics. */
    private static final int COLUMNS = 512;
    /** Rows per task of the row passes. */
    private static final int ROW_CHUNK = 8;

    private ContrastiveLoss() {}

    /** CLIP's symmetric InfoNCE loss, a scalar tensor; gradients flow to both embeddings and t. */
    public static Tensor clip(Tensor image, Tensor text, Tensor logitScale) {
        return clip(image, text, logitScale, ComputeProvider.get().kernels());
    }

    /** As {@link #clip(Tensor, Tensor, Tensor)} on given kernels (tests cover each width this way). */
    public static Tensor clip(Tensor image, Tensor text, Tensor logitScale, KernelProvider kernels) {
        int[] dims = check("clip loss", image, text);
        int n = dims[0], e = dims[1];
        Tensor img = image.dense(), txt = text.dense();
        float t = scalar("clip loss", "logit scale", logitScale);
        float s = (float) Math.exp(t);
        PairwiseLogits pl = new PairwiseLogits(kernels.gemm(), slice(img), slice(txt), n, e);
        float[] block = pl.newBlock();
        float[] rowLse = new float[n], diag = new float[n];
        float[] colMax = new float[n], colSum = new float[n];
        Arrays.fill(colMax, Float.NEGATIVE_INFINITY);
        for (int r0 = 0; r0 < n; r0 += PairwiseLogits.ROWS) {
            int rows = Math.min(PairwiseLogits.ROWS, n - r0), start = r0;
            pl.logits(block, r0, rows, s);
            // columns: running max and sum of exponentials, updated block by block (in block order)
            ComputePool.global().parallelFor(n, COLUMNS, (j0, j1) -> {
                int w = j1 - j0;
                float[] newMax = Arrays.copyOfRange(colMax, j0, j1);
                kernels.contrastive().columnMax(newMax, block, j0, n, rows, w);
                for (int j = 0; j < w; j++) {
                    float old = colMax[j0 + j];
                    colSum[j0 + j] *= old == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(old - newMax[j]);
                    colMax[j0 + j] = newMax[j];
                }
                float[] sums = Arrays.copyOfRange(colSum, j0, j1);
                kernels.contrastive().columnExpSum(sums, newMax, block, j0, n, rows, w);
                System.arraycopy(sums, 0, colSum, j0, w);
            });
            // rows: log-sum-exp of each full row, and the diagonal logit
            ComputePool.global().parallelFor(rows, ROW_CHUNK, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    float m = kernels.rows().max(block, i * n, n);
                    rowLse[start + i] = m + (float) Math.log(kernels.rows().expShiftSum(block, i * n, n, m));
                    diag[start + i] = block[i * n + start + i];
                }
            });
        }
        float[] colLse = new float[n];
        double total = 0;
        for (int j = 0; j < n; j++) {
            colLse[j] = colMax[j] + (float) Math.log(colSum[j]);
            total += (double) rowLse[j] + colLse[j] - 2.0 * diag[j];
        }
        Tensor loss = Tensor.scalar((float) (total / (2.0 * n)));
        return Node.record(loss, "clipLoss", (g, grads) -> {
            float[] dImg = grads.buffer(img), dTxt = grads.buffer(txt), dT = grads.buffer(logitScale);
            float alpha = g[0] / (2f * n);
            double[] dtRows = new double[n];
            for (int r0 = 0; r0 < n; r0 += PairwiseLogits.ROWS) {
                int rows = Math.min(PairwiseLogits.ROWS, n - r0), start = r0;
                pl.logits(block, r0, rows, s);
                // G = alpha·(softmax over the row + softmax over the column - 2·identity)
                ComputePool.global().parallelFor(rows, ROW_CHUNK, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        int d = i * n + start + i;
                        float li = block[d];
                        double dt = kernels.contrastive().clipGradRowInPlace(block, i * n, rowLse[start + i], colLse, 0, n, alpha);
                        block[d] -= 2f * alpha;
                        dtRows[start + i] = dt - 2.0 * alpha * li;
                    }
                });
                pl.backprop(block, r0, rows, s, dImg, dTxt);
            }
            if (dT != null) { // d logits / dt = logits
                double dt = 0;
                for (double v : dtRows) dt += v;
                dT[0] += (float) dt;
            }
        }, img, txt, logitScale);
    }

    /** SigLIP's sigmoid loss with learnable scale t and bias b, a scalar tensor. */
    public static Tensor siglip(Tensor image, Tensor text, Tensor logitScale, Tensor logitBias) {
        return siglip(image, text, logitScale, logitBias, ComputeProvider.get().kernels());
    }

    /** As {@link #siglip(Tensor, Tensor, Tensor, Tensor)} on given kernels. */
    public static Tensor siglip(Tensor image, Tensor text, Tensor logitScale, Tensor logitBias, KernelProvider kernels) {
        int[] dims = check("siglip loss", image, text);
        int n = dims[0], e = dims[1];
        Tensor img = image.dense(), txt = text.dense();
        float s = (float) Math.exp(scalar("siglip loss", "logit scale", logitScale));
        float bias = scalar("siglip loss", "logit bias", logitBias);
        PairwiseLogits pl = new PairwiseLogits(kernels.gemm(), slice(img), slice(txt), n, e);
        float[] block = pl.newBlock();
        double[] rowLoss = new double[n];
        for (int r0 = 0; r0 < n; r0 += PairwiseLogits.ROWS) {
            int rows = Math.min(PairwiseLogits.ROWS, n - r0), start = r0;
            pl.logits(block, r0, rows, s);
            ComputePool.global().parallelFor(rows, ROW_CHUNK, (i0, i1) -> {
                for (int i = i0; i < i1; i++) rowLoss[start + i] = kernels.contrastive().sigmoidLossRow(block, i * n, n, start + i, bias);
            });
        }
        double total = 0;
        for (double v : rowLoss) total += v;
        Tensor loss = Tensor.scalar((float) (total / n));
        return Node.record(loss, "siglipLoss", (g, grads) -> {
            float[] dImg = grads.buffer(img), dTxt = grads.buffer(txt);
            float[] dT = grads.buffer(logitScale), dB = grads.buffer(logitBias);
            float alpha = g[0] / n;
            double[][] rowSums = new double[n][2];
            for (int r0 = 0; r0 < n; r0 += PairwiseLogits.ROWS) {
                int rows = Math.min(PairwiseLogits.ROWS, n - r0), start = r0;
                pl.logits(block, r0, rows, s);
                ComputePool.global().parallelFor(rows, ROW_CHUNK, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        kernels.contrastive().sigmoidGradRowInPlace(block, i * n, n, start + i, bias, alpha, rowSums[start + i]);
                    }
                });
                pl.backprop(block, r0, rows, s, dImg, dTxt);
            }
            double dt = 0, db = 0;
            for (double[] r : rowSums) {
                dt += r[0]; // d logit / dt = e^t·x·y, the logit without its bias
                db += r[1];
            }
            if (dT != null) dT[0] += (float) dt;
            if (dB != null) dB[0] += (float) db;
        }, img, txt, logitScale, logitBias);
    }

    private static int[] check(String op, Tensor image, Tensor text) {
        int[] is = image.shape(), ts = text.shape();
        if (is.length != 2 || !Shapes.equal(is, ts) || is[0] < 1) {
            throw new IllegalArgumentException(op + ": image " + Shapes.str(is) + " and text " + Shapes.str(ts)
                    + " embeddings must both be (N, E) with N >= 1");
        }
        return is;
    }

    private static float scalar(String op, String what, Tensor t) {
        if (t.numel() != 1) throw new IllegalArgumentException(op + ": " + what + " must have one element, got " + Shapes.str(t.shape()));
        return t.item();
    }

    /** The dense data of a tensor starting at index 0 (a copy only when the tensor has an offset). */
    private static float[] slice(Tensor dense) {
        float[] a = dense.array();
        return dense.offset() == 0 && a.length == dense.numel() ? a : dense.toArray();
    }
}
