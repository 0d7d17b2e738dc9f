package dev.vireo.engine.kernel.attention;

import dev.vireo.engine.kernel.row.ScalarRowKernels;
import dev.vireo.engine.kernel.row.VectorTranspose;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link TileKernels} with the JDK Vector API at 256 bits. The block GEMM keeps a 6-row × 2-vector tile of C
 * in 12 registers (6×32 floats at 512 bits) and streams one row of B per step, broadcasting A:
 * the tile shape the Vector API was measured to sustain near peak on this machine. Generated from
 * engine/src/test/resources/templates/VectorTileKernels.java.template by KernelSourceGenerator (the tiles
 * are unrolled over their rows); edit the template and regenerate, never this file.
 */
final class VectorTileKernels256 implements TileKernels {
    private static final int MR = 6;
    private static final int KC = 256;
    /** The species, a constant: C2 turns Vector API calls into machine vectors only where it is one (see {@link VectorTileKernels}). */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Per thread: B's last columns padded to two vectors (KC rows), and a tile of C ({@link #edgeColumns}). */
    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[(KC + MR) * 2 * S.length()]);

    // ---------------------------------------------------------------- block GEMM

    @Override
    public void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int aRow, int aCol,
                     float[] b, int bOff, int ldb, int m, int n, int k, float alpha, boolean accumulate) {
        VectorSpecies<Float> species = S;
        int lanes = species.length();
        if (k == 0) {
            if (!accumulate) for (int r = 0; r < m; r++) Arrays.fill(c, cOff + r * ldc, cOff + r * ldc + n, 0f);
            return;
        }
        int w = 2 * lanes, nFull = n - n % w;
        // k in blocks of KC so a 2-vector strip of B (KC rows) stays in L1 while every row tile passes over it
        for (int kb = 0; kb < k; kb += KC) {
            int kc = Math.min(KC, k - kb);
            boolean acc = accumulate || kb > 0;
            int aK = aOff + kb * aCol, bK = bOff + kb * ldb;
            for (int j = 0; j < nFull; j += w) {
                for (int r = 0; r < m; r += MR) {
                    tile(c, cOff + r * ldc + j, ldc, a, aK + r * aRow, aRow, aCol, b, bK + j, ldb, kc, alpha, acc,
                            Math.min(MR, m - r));
                }
            }
            if (nFull < n) { // the last 1 to 2·lanes - 1 columns
                edgeColumns(c, cOff + nFull, ldc, a, aK, aRow, aCol, b, bK + nFull, ldb, m, kc, alpha, acc, n - nFull);
            }
        }
    }

    /**
     * A tile of up to 6 rows × 2 vectors of C. With fewer than 6 rows the missing rows repeat the
     * last one (same speed, nothing stored), so leftover rows never fall to a slower kernel.
     */
    private void tile(float[] c, int cOff, int ldc, float[] a, int a0, int aRow, int aCol,
                      float[] b, int bOff, int ldb, int k, float alpha, boolean accumulate, int rows) {
        VectorSpecies<Float> species = S;
        int lanes = species.length();
        // 12 accumulators: enough independent FMAs to hide their latency, few enough to stay in registers
        FloatVector c00 = FloatVector.zero(species), c01 = c00;
        FloatVector c10 = FloatVector.zero(species), c11 = c10;
        FloatVector c20 = FloatVector.zero(species), c21 = c20;
        FloatVector c30 = FloatVector.zero(species), c31 = c30;
        FloatVector c40 = FloatVector.zero(species), c41 = c40;
        FloatVector c50 = FloatVector.zero(species), c51 = c50;
        int r1 = Math.min(1, rows - 1), a1 = a0 + r1 * aRow;
        int r2 = Math.min(2, rows - 1), a2 = a0 + r2 * aRow;
        int r3 = Math.min(3, rows - 1), a3 = a0 + r3 * aRow;
        int r4 = Math.min(4, rows - 1), a4 = a0 + r4 * aRow;
        int r5 = Math.min(5, rows - 1), a5 = a0 + r5 * aRow;
        // indices linear in p, so C2 can hoist the range checks out of the loop
        for (int p = 0; p < k; p++) {
            int ap = p * aCol, bp = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(species, b, bp);
            FloatVector b1 = FloatVector.fromArray(species, b, bp + lanes);
            FloatVector x;
            x = FloatVector.broadcast(species, a[a0 + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(species, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(species, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(species, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(species, a[a4 + ap]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(species, a[a5 + ap]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        // rows past `rows` repeat the last row: they load and store the same values, so all 12 go unconditionally
        int o0 = cOff;
        int o1 = cOff + r1 * ldc;
        int o2 = cOff + r2 * ldc;
        int o3 = cOff + r3 * ldc;
        int o4 = cOff + r4 * ldc;
        int o5 = cOff + r5 * ldc;
        FloatVector va = FloatVector.broadcast(species, alpha);
        if (accumulate) {
            c00 = c00.fma(va, FloatVector.fromArray(species, c, o0));
            c01 = c01.fma(va, FloatVector.fromArray(species, c, o0 + lanes));
            c10 = c10.fma(va, FloatVector.fromArray(species, c, o1));
            c11 = c11.fma(va, FloatVector.fromArray(species, c, o1 + lanes));
            c20 = c20.fma(va, FloatVector.fromArray(species, c, o2));
            c21 = c21.fma(va, FloatVector.fromArray(species, c, o2 + lanes));
            c30 = c30.fma(va, FloatVector.fromArray(species, c, o3));
            c31 = c31.fma(va, FloatVector.fromArray(species, c, o3 + lanes));
            c40 = c40.fma(va, FloatVector.fromArray(species, c, o4));
            c41 = c41.fma(va, FloatVector.fromArray(species, c, o4 + lanes));
            c50 = c50.fma(va, FloatVector.fromArray(species, c, o5));
            c51 = c51.fma(va, FloatVector.fromArray(species, c, o5 + lanes));
        } else {
            c00 = c00.mul(va);
            c01 = c01.mul(va);
            c10 = c10.mul(va);
            c11 = c11.mul(va);
            c20 = c20.mul(va);
            c21 = c21.mul(va);
            c30 = c30.mul(va);
            c31 = c31.mul(va);
            c40 = c40.mul(va);
            c41 = c41.mul(va);
            c50 = c50.mul(va);
            c51 = c51.mul(va);
        }
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + lanes);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + lanes);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + lanes);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + lanes);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + lanes);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + lanes);
    }

    /**
     * The last {@code cols} (1 to 2·lanes - 1) columns of a k-block: B's strip copied once into a
     * zero-padded scratch two vectors wide, then each row tile through {@link #tile} on a scratch copy
     * of C's columns, copied back: lane for lane the same sums. A tile under two masks was past C2's
     * node budget: its broadcasts and masked stores were not inlined, and each vector operation fell
     * to the Vector API's boxed Java fallback (5 GB allocated in 4,000 sentences of 9 tokens).
     */
    private void edgeColumns(float[] c, int cOff, int ldc, float[] a, int aK, int aRow, int aCol,
                             float[] b, int bK, int ldb, int m, int kc, float alpha, boolean accumulate, int cols) {
        int w = 2 * S.length(), tileAt = KC * w;
        float[] scratch = EDGE.get(); // [0, kc·w): B's strip; [KC·w, KC·w + MR·w): C's tile
        for (int p = 0; p < kc; p++) {
            System.arraycopy(b, bK + p * ldb, scratch, p * w, cols);
            Arrays.fill(scratch, p * w + cols, (p + 1) * w, 0f);
        }
        for (int r = 0; r < m; r += MR) {
            int rows = Math.min(MR, m - r);
            if (accumulate) {
                for (int i = 0; i < rows; i++) System.arraycopy(c, cOff + (r + i) * ldc, scratch, tileAt + i * w, cols);
            }
            tile(scratch, tileAt, w, a, aK + r * aRow, aRow, aCol, scratch, 0, w, kc, alpha, accumulate, rows);
            for (int i = 0; i < rows; i++) System.arraycopy(scratch, tileAt + i * w, c, cOff + (r + i) * ldc, cols);
        }
    }

    @Override
    public void transpose(float[] dst, int dOff, int ld, float[] src, int sOff, int srcLd, int rows, int width) {
        if (S.length() == 16) {
            VectorTranspose.transpose(dst, dOff, ld, src, sOff, srcLd, rows, width);
        } else { // narrower vectors: the scalar loop
            ScalarRowKernels.transpose(dst, dOff, ld, src, sOff, srcLd, rows, width);
        }
    }

    @Override
    public void rowDots(float[] out, int outOff, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int rows, int n) {
        VectorSpecies<Float> species = S;
        int lanes = species.length();
        int bound = species.loopBound(n);
        VectorMask<Float> tail = species.indexInRange(bound, n);
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda, br = bOff + r * ldb;
            FloatVector acc = FloatVector.zero(species);
            int i = 0;
            for (; i < bound; i += lanes) acc = FloatVector.fromArray(species, a, ar + i).fma(FloatVector.fromArray(species, b, br + i), acc);
            if (i < n) acc = FloatVector.fromArray(species, a, ar + i, tail).fma(FloatVector.fromArray(species, b, br + i, tail), acc);
            float s = 0f;
            for (int j = 0; j < lanes; j++) s += acc.lane(j); // in place: see VectorMath
            out[outOff + r] = s;
        }
    }
}
