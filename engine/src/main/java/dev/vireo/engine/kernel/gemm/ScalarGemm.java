package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;

import java.util.Arrays;

/**
 * The reference GEMM: each product summed in double in ascending k order, then
 * the scalar {@link Epilogue#apply}. The specification {@code PackedGemm} is tested against,
 * and the implementation that runs when the scalar kernels are chosen.
 */
public final class ScalarGemm implements GemmKernel {
    /** Rows of C per parallel chunk. */
    static final int ROW_BLOCK = 32;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(ComputePool pool, float[] c, int cOff, int ldc,
                     float[] a, int aOff, int lda, boolean transA,
                     float[] b, int bOff, int ldb, boolean transB,
                     int m, int n, int k, boolean accumulate, Epilogue epilogue) {
        if (m == 0 || n == 0) return;
        pool.parallelFor(m, ROW_BLOCK, (r0, r1) -> {
            double[] row = new double[n];
            for (int i = r0; i < r1; i++) {
                // Each C[i, j] is Σ_p A[i, p]·B[p, j] summed in double in ascending p. The loop order
                // follows B's layout (rows of B streamed, or dot products over B's rows) so the
                // reference stays usable on model-sized problems; the order of additions is the same.
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                            s += (double) av * b[bOff + j * ldb + p];
                        }
                        row[j] = s;
                    }
                } else {
                    Arrays.fill(row, 0.0);
                    for (int p = 0; p < k; p++) {
                        double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        int bRow = bOff + p * ldb;
                        for (int j = 0; j < n; j++) row[j] += av * b[bRow + j];
                    }
                }
                for (int j = 0; j < n; j++) {
                    int ci = cOff + i * ldc + j;
                    c[ci] = epilogue.apply((float) row[j], accumulate ? c[ci] : 0f, i, j);
                }
            }
        });
    }
}
