package dev.vireo.engine.kernel.contrastive;

import dev.vireo.engine.kernel.gemm.Epilogue;
import dev.vireo.engine.kernel.gemm.GemmKernel;

/**
 * The N×N logits α·X·Yᵀ of a contrastive loss, one block of rows at a time, and the products that
 * carry a block's logit gradient G back to the embeddings (dX_r = α·G·Y, dY += α·Gᵀ·X_r). Memory
 * is O(N·ROWS) whatever N: the loss recomputes a block instead of keeping the whole matrix. Every
 * product is one call of the GEMM family ({@link GemmKernel#multiply}), which parallelises it and sums
 * each element in a fixed order: bit-identical results for any thread count.
 */
public final class PairwiseLogits {
    /** Rows of logits per block. */
    public static final int ROWS = 1024;

    private final GemmKernel gemm;
    private final float[] x;
    private final float[] y;
    private final int n, e;

    /** x and y: N×E row-major, multiplied by {@code gemm}. */
    public PairwiseLogits(GemmKernel gemm, float[] x, float[] y, int n, int e) {
        this.gemm = gemm;
        this.x = x;
        this.y = y;
        this.n = n;
        this.e = e;
    }

    /** A block buffer of ROWS×N floats. */
    public float[] newBlock() {
        return new float[Math.min(ROWS, n) * n];
    }

    /** l[i·N + j] = alpha·x_{r0+i}·y_j for i < rows: the block of rows starting at r0. */
    public void logits(float[] l, int r0, int rows, float alpha) {
        // (rows×E)·(N×E)ᵀ: Y is read as stored, the nt form
        gemm.multiply(l, 0, n, x, r0 * e, e, false, y, 0, e, true, rows, n, e, false, Epilogue.NONE.withAlpha(alpha));
    }

    /**
     * Given the logit gradient G of the block (rows×N in g), adds dX[r0 + i] += alpha·G_i·Y and
     * dY += alpha·Gᵀ·X_block; either output may be null (not needed).
     */
    public void backprop(float[] g, int r0, int rows, float alpha, float[] dx, float[] dy) {
        Epilogue scaled = Epilogue.NONE.withAlpha(alpha);
        if (dx != null) { // dX rows (rows×E) += G (rows×N) · Y (N×E)
            gemm.multiply(dx, r0 * e, e, g, 0, n, false, y, 0, e, false, rows, e, n, true, scaled);
        }
        if (dy != null) { // dY (N×E) += Gᵀ (N×rows) · X_block (rows×E)
            gemm.multiply(dy, 0, e, g, 0, n, true, x, r0 * e, e, false, n, e, rows, true, scaled);
        }
    }
}
