package dev.vireo.engine.fused;

import dev.vireo.engine.parallel.ComputePool;

/**
 * The N×N logits α·X·Yᵀ of a contrastive loss, one block of rows at a time, and the products that
 * carry a block's logit gradient G back to the embeddings (dX_r = α·G·Y, dY += α·Gᵀ·X_r). Memory
 * is O(N·ROWS) whatever N: the loss recomputes a block instead of keeping the whole matrix.
 * Each output element is written by one fixed task in a fixed order, so results are bit-identical
 * for any thread count.
 */
final class PairwiseLogits {
    /** Rows of logits per block. */
    static final int ROWS = 128;
    /** Columns of logits per parallel task (a panel of Yᵀ packed contiguously). */
    private static final int PANEL = 128;
    /** Embedding columns (of dX) or rows (of dY) per parallel task in the backward products. */
    private static final int GRAD_BLOCK = 128;

    private final FusedKernels fk;
    private final float[] x, y;
    private final int n, e;
    private final float[] yt; // Yᵀ in panels: panel p holds Y[p·PANEL + j, c] at p·PANEL·e + c·PANEL + j

    PairwiseLogits(FusedKernels fk, float[] x, float[] y, int n, int e) {
        this.fk = fk;
        this.x = x;
        this.y = y;
        this.n = n;
        this.e = e;
        this.yt = new float[n * e]; // (N/PANEL, E, PANEL)
        int panels = (n + PANEL - 1) / PANEL;
        ComputePool.global().forEachChunk(panels, p -> {
            int j0 = p * PANEL, w = Math.min(PANEL, n - j0), base = j0 * e;
            for (int j = 0; j < w; j++) {
                for (int c = 0; c < e; c++) yt[base + c * w + j] = y[(j0 + j) * e + c];
            }
        });
    }

    int n() {
        return n;
    }

    /** A block buffer of ROWS×N floats. */
    float[] newBlock() {
        return new float[Math.min(ROWS, n) * n];
    }

    /** l[i·N + j] = alpha·x_{r0+i}·y_j for i < rows: the block of rows starting at r0. */
    void logits(float[] l, int r0, int rows, float alpha) {
        int panels = (n + PANEL - 1) / PANEL;
        ComputePool.global().forEachChunk(panels, p -> {
            int j0 = p * PANEL, w = Math.min(PANEL, n - j0);
            fk.gemm(l, j0, n, x, r0 * e, e, 1, yt, j0 * e, w, rows, w, e, alpha, false);
        });
    }

    /**
     * Given the logit gradient G of the block (rows×N in g), adds dX[r0 + i] += alpha·G_i·Y and
     * dY += alpha·Gᵀ·X_block; either output may be null (not needed).
     */
    void backprop(float[] g, int r0, int rows, float alpha, float[] dx, float[] dy) {
        int xTasks = dx == null ? 0 : (e + GRAD_BLOCK - 1) / GRAD_BLOCK;
        int yTasks = dy == null ? 0 : (n + GRAD_BLOCK - 1) / GRAD_BLOCK;
        ComputePool.global().forEachChunk(xTasks + yTasks, t -> {
            if (t < xTasks) { // dX block columns [c0, c0 + w): G (rows×N) · Y[:, c0:c0+w]
                int c0 = t * GRAD_BLOCK, w = Math.min(GRAD_BLOCK, e - c0);
                fk.gemm(dx, r0 * e + c0, e, g, 0, n, 1, y, c0, e, rows, w, n, alpha, true);
            } else { // dY rows [j0, j0 + h): Gᵀ[j0:j0+h, :] (h×rows) · X_block (rows×E)
                int j0 = (t - xTasks) * GRAD_BLOCK, h = Math.min(GRAD_BLOCK, n - j0);
                fk.gemm(dy, j0 * e, e, g, j0, 1, n, x, r0 * e, e, h, e, rows, alpha, true);
            }
        });
    }
}
