package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;

/**
 * The B operand of a GEMM (k×n) packed once by {@link GemmKernel#pack}, for many products with
 * different A: a weight at inference, where a request's few rows would otherwise pay for packing the
 * whole weight on every call (at 20 rows against a 384×384 weight, packing costs about what the
 * product does). Holds its kernel's layout: the packed k-block groups of each column panel.
 */
public final class PackedMatrix {
    private final PackedGemm kernel;
    private final int n;
    private final int k;
    /** [column panel][group of k-blocks] → the packed floats, as the kernel's loop reads them. */
    private final float[][][] groups;

    PackedMatrix(PackedGemm kernel, int n, int k, float[][][] groups) {
        this.kernel = kernel;
        this.n = n;
        this.k = k;
        this.groups = groups;
    }

    public int n() {
        return n;
    }

    public int k() {
        return k;
    }

    /** Floats held, for memory accounting. */
    public long floats() {
        long total = 0;
        for (float[][] panel : groups) for (float[] g : panel) total += g.length;
        return total;
    }

    float[] group(int panel, int group) {
        return groups[panel][group];
    }

    /**
     * C (m×n, row stride ldc) = epilogue(op(A)·B) on the global pool, after checking every bound; A is
     * stored m×k (k×m when {@code transA}). The bits are those of {@link GemmKernel#multiply} with B unpacked.
     */
    public void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA, int m,
                         boolean accumulate, Epilogue epilogue) {
        if (m < 0) throw new IllegalArgumentException("GEMM: negative size m=" + m);
        GemmKernel.checkMatrix("C", c, cOff, m, n, ldc);
        GemmKernel.checkMatrix(transA ? "A (transposed, stored k×m)" : "A", a, aOff, transA ? k : m, transA ? m : k, lda);
        if (epilogue.bias() != null) GemmKernel.checkMatrix("bias", epilogue.bias(), epilogue.biasOff(), 1, n, n);
        if (epilogue.residual() != null) GemmKernel.checkMatrix("residual", epilogue.residual(), epilogue.residualOff(), m, n, epilogue.ldr());
        kernel.gemm(ComputePool.global(), c, cOff, ldc, a, aOff, lda, transA, this, m, accumulate, epilogue);
    }
}
