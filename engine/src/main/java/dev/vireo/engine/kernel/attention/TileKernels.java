package dev.vireo.engine.kernel.attention;

/**
 * The tile family under fused attention: a small register-tiled block GEMM on one head's tiles,
 * the transpose of a K or V tile, and the row dot products of dO·O. The row steps of the online
 * softmax come from the row family. {@link ScalarTileKernels} is the reference;
 * {@link VectorTileKernels} the Vector API form. Stateless, allocation-free, single-threaded,
 * output argument first.
 */
public interface TileKernels {

    // ---------------------------------------------------------------- block GEMM

    /**
     * C = α·A·B (or C += α·A·B when {@code accumulate}) for an m×n block. A is m×k with element
     * (r, p) at {@code a[aOff + r·aRow + p·aCol]} (so either layout, or a transpose, is read in
     * place); B is k×n row-major with row stride ldb; C has row stride ldc.
     */
    void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int aRow, int aCol,
              float[] b, int bOff, int ldb, int m, int n, int k, float alpha, boolean accumulate);

    /** dst[dOff + c·ld + j] = src[sOff + j·srcLd + c] for j &lt; rows, c &lt; width: a block of strided rows, transposed. */
    void transpose(float[] dst, int dOff, int ld, float[] src, int sOff, int srcLd, int rows, int width);

    /**
     * out[outOff + r] = Σ_i a[aOff + r·lda + i]·b[bOff + r·ldb + i] for r &lt; rows: the dot products of
     * matching rows of two strided matrices (attention's δ = rowsum(dO ∘ O)).
     */
    void rowDots(float[] out, int outOff, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int rows, int n);
}
