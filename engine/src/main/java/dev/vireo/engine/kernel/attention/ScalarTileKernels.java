package dev.vireo.engine.kernel.attention;

import dev.vireo.engine.kernel.row.ScalarRowKernels;

/**
 * The reference {@link TileKernels}: plain loops, sums in double. This is the specification
 * {@link VectorTileKernels} is tested against, and the fallback without the Vector API.
 */
public final class ScalarTileKernels implements TileKernels {

    @Override
    public void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int aRow, int aCol,
                     float[] b, int bOff, int ldb, int m, int n, int k, float alpha, boolean accumulate) {
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[aOff + r * aRow + p * aCol] * b[bOff + p * ldb + j];
                int ci = cOff + r * ldc + j;
                c[ci] = accumulate ? (float) (c[ci] + alpha * s) : (float) (alpha * s);
            }
        }
    }

    @Override
    public void transpose(float[] dst, int dOff, int ld, float[] src, int sOff, int srcLd, int rows, int width) {
        ScalarRowKernels.transpose(dst, dOff, ld, src, sOff, srcLd, rows, width);
    }

    @Override
    public void rowDots(float[] out, int outOff, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += (double) a[aOff + r * lda + i] * b[bOff + r * ldb + i];
            out[outOff + r] = (float) s;
        }
    }
}
