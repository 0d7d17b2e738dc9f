package dev.vireo.engine.fused;

import dev.vireo.engine.parallel.ComputePool;

/**
 * The N×N logits α·X·Yᵀ of a contrastive loss, one block of rows at a time, and the products that
 * carry a block's logit gradient G back to the embeddings (dX_r = α·G·Y, dY += α·Gᵀ·X_r). Memory
 * is O(N·ROWS) whatever N: the loss recomputes a block instead of keeping the whole matrix.
 * Every right-hand operand is packed in strips of {@link #STRIP} columns, so a GEMM streams
 * contiguous 128-byte rows (rows 2 KiB apart would fight over a few L1 sets). Each output element
 * is written by one fixed task in a fixed order: bit-identical results for any thread count.
 */
final class PairwiseLogits {
    /** Rows of logits per block. */
    static final int ROWS = 128;
    /** Columns per packed strip: two 512-bit vectors, the width of the GEMM's register tile. */
    private static final int STRIP = 32;
    /** Strips per parallel task of the logits. */
    private static final int STRIPS_PER_TASK = 4;
    /** Rows of dY per parallel task. */
    private static final int DY_ROWS = 128;

    private final FusedKernels fk;
    private final float[] x;
    private final int n, e;
    private final float[] yt;      // Yᵀ (E×N) in strips of columns of N
    private final float[] yRows;
    private float[] y;             // Y (N×E) in strips of columns of E, packed by the first backprop
    private final float[] xBlock;  // the current block of X rows in strips of columns of E

    PairwiseLogits(FusedKernels fk, float[] x, float[] yRows, int n, int e) {
        this.fk = fk;
        this.x = x;
        this.n = n;
        this.e = e;
        this.yt = new float[n * e];
        // strip s of Yᵀ: yt[s·STRIP·e + c·w + j] = Y[s·STRIP + j, c]
        ComputePool.global().forEachChunk(strips(n), s -> {
            int j0 = s * STRIP, w = Math.min(STRIP, n - j0), base = j0 * e;
            for (int j = 0; j < w; j++) {
                for (int c = 0; c < e; c++) yt[base + c * w + j] = yRows[(j0 + j) * e + c];
            }
        });
        this.yRows = yRows;
        this.xBlock = new float[Math.min(ROWS, n) * e];
    }

    private static int strips(int width) {
        return (width + STRIP - 1) / STRIP;
    }

    /** Strips of a rows×e matrix at src[sOff]: dst[c0·rows + i·w + c] = src[sOff + i·e + c0 + c], c0 = s·STRIP. */
    private static void packColumns(float[] src, int sOff, int rows, int e, float[] dst) {
        for (int c0 = 0; c0 < e; c0 += STRIP) {
            int w = Math.min(STRIP, e - c0), base = c0 * rows;
            for (int i = 0; i < rows; i++) System.arraycopy(src, sOff + i * e + c0, dst, base + i * w, w);
        }
    }

    /** A block buffer of ROWS×N floats. */
    float[] newBlock() {
        return new float[Math.min(ROWS, n) * n];
    }

    /** l[i·N + j] = alpha·x_{r0+i}·y_j for i < rows: the block of rows starting at r0. */
    void logits(float[] l, int r0, int rows, float alpha) {
        int tasks = (strips(n) + STRIPS_PER_TASK - 1) / STRIPS_PER_TASK;
        ComputePool.global().forEachChunk(tasks, t -> {
            int sEnd = Math.min(strips(n), (t + 1) * STRIPS_PER_TASK);
            for (int s = t * STRIPS_PER_TASK; s < sEnd; s++) {
                int j0 = s * STRIP, w = Math.min(STRIP, n - j0);
                fk.gemm(l, j0, n, x, r0 * e, e, 1, yt, j0 * e, w, rows, w, e, alpha, false);
            }
        });
    }

    /**
     * Given the logit gradient G of the block (rows×N in g), adds dX[r0 + i] += alpha·G_i·Y and
     * dY += alpha·Gᵀ·X_block; either output may be null (not needed).
     */
    void backprop(float[] g, int r0, int rows, float alpha, float[] dx, float[] dy) {
        if (dx != null && y == null) {
            y = new float[n * e];
            packColumns(yRows, 0, n, e, y);
        }
        if (dy != null) packColumns(x, r0 * e, rows, e, xBlock);
        int xTasks = dx == null ? 0 : strips(e);
        int yTasks = dy == null ? 0 : (n + DY_ROWS - 1) / DY_ROWS;
        ComputePool.global().forEachChunk(xTasks + yTasks, t -> {
            if (t < xTasks) { // dX columns of strip t: G (rows×N) · Y strip (N×w)
                int c0 = t * STRIP, w = Math.min(STRIP, e - c0);
                fk.gemm(dx, r0 * e + c0, e, g, 0, n, 1, y, c0 * n, w, rows, w, n, alpha, true);
            } else { // dY rows [j0, j0 + h): Gᵀ[j0:j0+h, :] (h×rows) · X_block strips (rows×w)
                int j0 = (t - xTasks) * DY_ROWS, h = Math.min(DY_ROWS, n - j0);
                for (int c0 = 0; c0 < e; c0 += STRIP) {
                    int w = Math.min(STRIP, e - c0);
                    fk.gemm(dy, j0 * e + c0, e, g, j0, 1, n, xBlock, c0 * rows, w, h, w, rows, alpha, true);
                }
            }
        });
    }
}
