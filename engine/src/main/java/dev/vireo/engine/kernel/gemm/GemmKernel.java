package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;

/**
 * A whole single-precision matrix product with a fused {@link Epilogue}:
 * {@code C = epilogue(op(A)·op(B))}, op(X) = X or Xᵀ. {@link ScalarGemm} is the reference,
 * {@link PackedGemm} the fast Vector API version at one width; the kernel provider picks one.
 * {@link #multiply} checks every bound and runs on the global pool; {@link #gemm} trusts its caller.
 */
public interface GemmKernel {

    /** A short name for logs and benchmarks. */
    String name();

    /**
     * C (m×n, row stride ldc) = epilogue(op(A)·op(B)). A is stored m×k (k×m when {@code transA}),
     * B is stored k×n (n×k when {@code transB}); lda and ldb are row strides of the stored arrays.
     * With {@code accumulate} the old C is added before the bias. Work is split over {@code pool}
     * into blocks of C fixed by the sizes, so every element's bits are the same for any thread count.
     */
    void gemm(ComputePool pool, float[] c, int cOff, int ldc,
              float[] a, int aOff, int lda, boolean transA,
              float[] b, int bOff, int ldb, boolean transB,
              int m, int n, int k, boolean accumulate, Epilogue epilogue);

    /** C (m×n) = op(A)·op(B), or C += op(A)·op(B) with {@code accumulate}; see {@link #gemm}. */
    default void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                                float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, boolean accumulate) {
        multiply(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, accumulate, Epilogue.NONE);
    }

    /** C = epilogue(op(A)·op(B)) on the global {@link ComputePool}, after checking every bound. */
    default void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                                float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, boolean accumulate,
                                Epilogue epilogue) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("GEMM: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("C", c, cOff, m, n, ldc);
        checkMatrix(transA ? "A (transposed, stored k×m)" : "A", a, aOff, transA ? k : m, transA ? m : k, lda);
        checkMatrix(transB ? "B (transposed, stored n×k)" : "B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        if (epilogue.bias() != null) checkMatrix("bias", epilogue.bias(), epilogue.biasOff(), 1, n, n);
        if (epilogue.residual() != null) {
            checkMatrix("residual", epilogue.residual(), epilogue.residualOff(), m, n, epilogue.ldr());
        }
        gemm(ComputePool.global(), c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB,
                m, n, k, accumulate, epilogue);
    }

    /**
     * B (stored k×n, n×k when {@code transB}) packed once for many products ({@link PackedMatrix}),
     * or null for a kernel that reads B as it is (the scalar reference).
     */
    default PackedMatrix pack(float[] b, int bOff, int ldb, boolean transB, int n, int k) {
        return null;
    }

    /** Checks that a rows×cols matrix with row stride ld starting at off lies inside arr. */
    static void checkMatrix(String name, float[] arr, int off, int rows, int cols, int ld) {
        if (arr == null) throw new IllegalArgumentException("GEMM: " + name + " is null");
        if (rows == 0 || cols == 0) return;
        if (off < 0 || (rows > 1 && ld < cols)) {
            throw new IllegalArgumentException("GEMM: " + name + " " + rows + "x" + cols
                    + " has offset " + off + " and row stride " + ld + " (need offset >= 0, stride >= " + cols + ")");
        }
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (last >= arr.length) {
            throw new IllegalArgumentException("GEMM: " + name + " " + rows + "x" + cols + " at offset " + off
                    + " with row stride " + ld + " ends at index " + last + " past its array of " + arr.length);
        }
    }
}
