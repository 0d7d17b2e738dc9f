package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;

/**
 * A whole single-precision matrix product with a fused {@link Epilogue}:
 * {@code C = epilogue(op(A)·op(B))}, op(X) = X or Xᵀ. {@link ScalarGemm} is the reference,
 * {@code PackedGemm} the fast Vector API version; {@link Gemm} picks one and validates arguments.
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
}
