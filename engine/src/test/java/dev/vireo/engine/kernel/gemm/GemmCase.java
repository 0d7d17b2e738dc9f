package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;

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

    /** Elements match within atol + rtol·|expected| (NaN matches NaN, ∞ matches the same ∞); padding untouched. */
    void assertClose(float[] actual, float[] expected, double rtol, double atol, String what) {
        for (int idx = 0; idx < expected.length; idx++) {
            float x = actual[idx], y = expected[idx];
            int rel = idx - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            String where = what + (inside ? " at C[" + rel / ldc + ", " + rel % ldc + "]" : " padding at index " + idx);
            if (!inside) {
                assertThat(x).as(where).isEqualTo(SENTINEL);
            } else if (Float.isNaN(y)) {
                assertThat(x).as(where).isNaN();
            } else if (Float.isInfinite(y)) {
                assertThat(x).as(where).isEqualTo(y);
            } else {
                assertThat((double) Math.abs(x - y)).as(where + ": got " + x + ", expected " + y)
                        .isLessThanOrEqualTo(atol + rtol * Math.abs(y));
            }
        }
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
