package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.testing.Tolerances;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One GEMM problem laid out awkwardly for tests: A, B and C at non-zero offsets with row strides
 * wider than their rows, C's padding filled with a sentinel that no kernel may touch.
 */
final class GemmCase {
    static final float SENTINEL = -12345f;

    final int m, n, k;
    final boolean transA, transB;
    final float[] a, b, c;
    final int aOff = 3, bOff = 5, cOff = 7, lda, ldb, ldc;

    GemmCase(Rng rng, int m, int n, int k, String form) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = form.charAt(0) == 't';
        this.transB = form.charAt(1) == 't';
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        this.lda = aCols + 2;
        this.ldb = bCols + 3;
        this.ldc = n + 1;
        this.a = random(rng, aOff + aRows * lda);
        this.b = random(rng, bOff + bRows * ldb);
        this.c = new float[cOff + m * ldc + 2];
        Arrays.fill(c, SENTINEL);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = rng.nextFloat() * 2f - 1f;
        }
    }

    static float[] random(Rng rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rng.nextFloat() * 2f - 1f;
        return x;
    }

    /** A copy of C, then kernel.gemm on it. */
    float[] run(GemmKernel kernel, ComputePool pool, boolean accumulate, Epilogue e) {
        float[] out = c.clone();
        kernel.gemm(pool, out, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, accumulate, e);
        return out;
    }

    /**
     * C's elements match by {@link Tolerances#assertAllClose} (their index there counts C's m×n
     * elements row by row); the padding around them still holds the sentinel.
     */
    void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        assertThat(actual.length).as(what + ": length").isEqualTo(expected.length);
        float[] e = new float[m * n], a = new float[m * n];
        for (int idx = 0; idx < expected.length; idx++) {
            int rel = idx - cOff;
            if (rel >= 0 && rel / ldc < m && rel % ldc < n) {
                e[rel / ldc * n + rel % ldc] = expected[idx];
                a[rel / ldc * n + rel % ldc] = actual[idx];
            } else {
                assertThat(actual[idx]).as(what + " padding at index " + idx).isEqualTo(SENTINEL);
            }
        }
        Tolerances.assertAllClose(what + ", C (" + m + "x" + n + ")", e, a, atol, rtol);
    }

    /** Rounding of a k-long float sum of products of values in [-1, 1]. */
    double atol() {
        return 2e-6 * (k + 1);
    }

    @Override
    public String toString() {
        return m + "x" + k + "x" + n + " " + (transA ? "t" : "n") + (transB ? "t" : "n");
    }
}
