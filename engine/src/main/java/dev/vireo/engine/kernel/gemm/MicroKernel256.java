package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.row.VectorRowKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 256-bit micro-kernel: 8 lanes, tile 6×16 in 12 accumulators, quad tile
 * 3×32 in 12. Generated from
 * engine/src/test/resources/templates/MicroKernel.java.template by KernelSourceGenerator (see
 * {@link MicroKernel}); edit the template and regenerate, never this file.
 */
final class MicroKernel256 extends MicroKernel {
    private static final VectorRowKernels POINTWISE = VectorRowKernels.create(256);
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    private static final int MR = 6;
    private static final int QR = 3;

    @Override
    VectorRowKernels pointwise() {
        return POINTWISE;
    }

    @Override
    int mr() {
        return MR;
    }

    @Override
    int nr() {
        return 2 * L;
    }

    @Override
    int qr() {
        return QR;
    }

    @Override
    void tile(float[] ap, int ai, float[] bp, int bi, int kc,
              float[] c, int ci, int ldc, float alpha, boolean load) {
        // 12 independent FMA chains hide the FMA latency and still fit the register file
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        FloatVector c40 = FloatVector.zero(S), c41 = c40;
        FloatVector c50 = FloatVector.zero(S), c51 = c50;
        for (int p = 0; p < kc; p++, ai += MR, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        // the store, unrolled: C2 will not inline a helper here (too many vector nodes), and a
        // vector passed to a call that is not inlined is boxed on the heap
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
            c40 = c40.mul(alpha);
            c41 = c41.mul(alpha);
            c50 = c50.mul(alpha);
            c51 = c51.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    @Override
    void tileRows(int h, float[] a, int ai, int lda, float[] bp, int bi, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load) {
        switch (h) {
            case 1 -> tileRows1(a, ai, lda, bp, bi, kc, c, ci, ldc, alpha, load);
            case 2 -> tileRows2(a, ai, lda, bp, bi, kc, c, ci, ldc, alpha, load);
            case 3 -> tileRows3(a, ai, lda, bp, bi, kc, c, ci, ldc, alpha, load);
            case 4 -> tileRows4(a, ai, lda, bp, bi, kc, c, ci, ldc, alpha, load);
            case 5 -> tileRows5(a, ai, lda, bp, bi, kc, c, ci, ldc, alpha, load);
            case 6 -> tileRows6(a, ai, lda, bp, bi, kc, c, ci, ldc, alpha, load);
            default -> throw new IllegalArgumentException("tileRows: rows must be 1.." + MR + ", got " + h);
        }
    }
    @Override
    void tileHalves(float[] ap, int ai, float[] bp, int bi, int bj, int kc,
                    float[] c, int ci, int ldc, float alpha, boolean load) {
        // 12 independent FMA chains hide the FMA latency and still fit the register file
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        FloatVector c40 = FloatVector.zero(S), c41 = c40;
        FloatVector c50 = FloatVector.zero(S), c51 = c50;
        for (int p = 0; p < kc; p++, ai += MR, bi += L, bj += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bj);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        // the store, unrolled: C2 will not inline a helper here (too many vector nodes), and a
        // vector passed to a call that is not inlined is boxed on the heap
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
            c40 = c40.mul(alpha);
            c41 = c41.mul(alpha);
            c50 = c50.mul(alpha);
            c51 = c51.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    @Override
    void tileHalvesRows(int h, float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                        float[] c, int ci, int ldc, float alpha, boolean load) {
        switch (h) {
            case 1 -> tileHalvesRows1(a, ai, lda, bp, bi, bj, kc, c, ci, ldc, alpha, load);
            case 2 -> tileHalvesRows2(a, ai, lda, bp, bi, bj, kc, c, ci, ldc, alpha, load);
            case 3 -> tileHalvesRows3(a, ai, lda, bp, bi, bj, kc, c, ci, ldc, alpha, load);
            case 4 -> tileHalvesRows4(a, ai, lda, bp, bi, bj, kc, c, ci, ldc, alpha, load);
            case 5 -> tileHalvesRows5(a, ai, lda, bp, bi, bj, kc, c, ci, ldc, alpha, load);
            case 6 -> tileHalvesRows6(a, ai, lda, bp, bi, bj, kc, c, ci, ldc, alpha, load);
            default -> throw new IllegalArgumentException("tileHalvesRows: rows must be 1.." + MR + ", got " + h);
        }
    }

    @Override
    void tileStrided(float[] ap, int ai, int aStep, float[] bp, int bi, int bStep, int kc,
                     float[] c, int ci, int ldc, float alpha, boolean load) {
        // tile's loop with the panels' steps as arguments: A and B read where they are stored
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        FloatVector c40 = FloatVector.zero(S), c41 = c40;
        FloatVector c50 = FloatVector.zero(S), c51 = c50;
        for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        // the store, unrolled: C2 will not inline a helper here (too many vector nodes), and a
        // vector passed to a call that is not inlined is boxed on the heap
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
            c40 = c40.mul(alpha);
            c41 = c41.mul(alpha);
            c50 = c50.mul(alpha);
            c51 = c51.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    @Override
    void quadRows(int h, float[] a, int ai, int lda, float[] bp, int bi, int stride, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load) {
        switch (h) {
            case 1 -> quadRows1(a, ai, lda, bp, bi, stride, kc, c, ci, ldc, alpha, load);
            case 2 -> quadRows2(a, ai, lda, bp, bi, stride, kc, c, ci, ldc, alpha, load);
            case 3 -> quadRows3(a, ai, lda, bp, bi, stride, kc, c, ci, ldc, alpha, load);
            default -> throw new IllegalArgumentException("quadRows: rows must be 1.." + QR + ", got " + h);
        }
    }

    /** tileRows on the first 1 of the tile's rows. */
    private static void tileRows1(float[] a, int ai, int lda, float[] bp, int bi, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        for (int p = 0; p < kc; p++, ai++, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
    }

    /** tileRows on the first 2 of the tile's rows. */
    private static void tileRows2(float[] a, int ai, int lda, float[] bp, int bi, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        for (int p = 0; p < kc; p++, ai++, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
    }

    /** tileRows on the first 3 of the tile's rows. */
    private static void tileRows3(float[] a, int ai, int lda, float[] bp, int bi, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        for (int p = 0; p < kc; p++, ai++, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
    }

    /** tileRows on the first 4 of the tile's rows. */
    private static void tileRows4(float[] a, int ai, int lda, float[] bp, int bi, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        for (int p = 0; p < kc; p++, ai++, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
    }

    /** tileRows on the first 5 of the tile's rows. */
    private static void tileRows5(float[] a, int ai, int lda, float[] bp, int bi, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        FloatVector c40 = FloatVector.zero(S), c41 = c40;
        for (int p = 0; p < kc; p++, ai++, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ai + 4 * lda]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
            c40 = c40.mul(alpha);
            c41 = c41.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
    }

    /** tileRows on the first 6 of the tile's rows. */
    private static void tileRows6(float[] a, int ai, int lda, float[] bp, int bi, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        FloatVector c40 = FloatVector.zero(S), c41 = c40;
        FloatVector c50 = FloatVector.zero(S), c51 = c50;
        for (int p = 0; p < kc; p++, ai++, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ai + 4 * lda]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ai + 5 * lda]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
            c40 = c40.mul(alpha);
            c41 = c41.mul(alpha);
            c50 = c50.mul(alpha);
            c51 = c51.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /** tileHalvesRows on the first 1 of the tile's rows. */
    private static void tileHalvesRows1(float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                                        float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        for (int p = 0; p < kc; p++, ai++, bi += L, bj += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bj);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
    }

    /** tileHalvesRows on the first 2 of the tile's rows. */
    private static void tileHalvesRows2(float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                                        float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        for (int p = 0; p < kc; p++, ai++, bi += L, bj += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bj);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
    }

    /** tileHalvesRows on the first 3 of the tile's rows. */
    private static void tileHalvesRows3(float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                                        float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        for (int p = 0; p < kc; p++, ai++, bi += L, bj += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bj);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
    }

    /** tileHalvesRows on the first 4 of the tile's rows. */
    private static void tileHalvesRows4(float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                                        float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        for (int p = 0; p < kc; p++, ai++, bi += L, bj += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bj);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
    }

    /** tileHalvesRows on the first 5 of the tile's rows. */
    private static void tileHalvesRows5(float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                                        float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        FloatVector c40 = FloatVector.zero(S), c41 = c40;
        for (int p = 0; p < kc; p++, ai++, bi += L, bj += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bj);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ai + 4 * lda]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
            c40 = c40.mul(alpha);
            c41 = c41.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
    }

    /** tileHalvesRows on the first 6 of the tile's rows. */
    private static void tileHalvesRows6(float[] a, int ai, int lda, float[] bp, int bi, int bj, int kc,
                                        float[] c, int ci, int ldc, float alpha, boolean load) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20;
        FloatVector c30 = FloatVector.zero(S), c31 = c30;
        FloatVector c40 = FloatVector.zero(S), c41 = c40;
        FloatVector c50 = FloatVector.zero(S), c51 = c50;
        for (int p = 0; p < kc; p++, ai++, bi += L, bj += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bj);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3 * lda]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ai + 4 * lda]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ai + 5 * lda]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c30 = c30.mul(alpha);
            c31 = c31.mul(alpha);
            c40 = c40.mul(alpha);
            c41 = c41.mul(alpha);
            c50 = c50.mul(alpha);
            c51 = c51.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /** quadRows on the first 1 of the quad tile's rows. */
    private static void quadRows1(float[] a, int ai, int lda, float[] bp, int bi, int stride, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        int s2 = 2 * stride, s3 = 3 * stride;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        for (int p = 0; p < kc; p++, ai++, bi += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + stride);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + s2), b3 = FloatVector.fromArray(S, bp, bi + s3);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            c02 = v.fma(b2, c02);
            c03 = v.fma(b3, c03);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c02 = c02.mul(alpha);
            c03 = c03.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c02 = c02.add(FloatVector.fromArray(S, c, ci + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, ci + 3 * L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c03.intoArray(c, ci + 3 * L);
    }

    /** quadRows on the first 2 of the quad tile's rows. */
    private static void quadRows2(float[] a, int ai, int lda, float[] bp, int bi, int stride, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        int s2 = 2 * stride, s3 = 3 * stride;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10, c12 = c10, c13 = c10;
        for (int p = 0; p < kc; p++, ai++, bi += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + stride);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + s2), b3 = FloatVector.fromArray(S, bp, bi + s3);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            c02 = v.fma(b2, c02);
            c03 = v.fma(b3, c03);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            c12 = v.fma(b2, c12);
            c13 = v.fma(b3, c13);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c02 = c02.mul(alpha);
            c03 = c03.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c12 = c12.mul(alpha);
            c13 = c13.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c02 = c02.add(FloatVector.fromArray(S, c, ci + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, ci + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, ci + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, ci + ldc + 3 * L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c03.intoArray(c, ci + 3 * L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c12.intoArray(c, ci + ldc + 2 * L);
        c13.intoArray(c, ci + ldc + 3 * L);
    }

    /** quadRows on the first 3 of the quad tile's rows. */
    private static void quadRows3(float[] a, int ai, int lda, float[] bp, int bi, int stride, int kc,
                                  float[] c, int ci, int ldc, float alpha, boolean load) {
        int s2 = 2 * stride, s3 = 3 * stride;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = FloatVector.zero(S), c11 = c10, c12 = c10, c13 = c10;
        FloatVector c20 = FloatVector.zero(S), c21 = c20, c22 = c20, c23 = c20;
        for (int p = 0; p < kc; p++, ai++, bi += L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + stride);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + s2), b3 = FloatVector.fromArray(S, bp, bi + s3);
            FloatVector v;
            v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            c02 = v.fma(b2, c02);
            c03 = v.fma(b3, c03);
            v = FloatVector.broadcast(S, a[ai + lda]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            c12 = v.fma(b2, c12);
            c13 = v.fma(b3, c13);
            v = FloatVector.broadcast(S, a[ai + 2 * lda]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            c22 = v.fma(b2, c22);
            c23 = v.fma(b3, c23);
        }
        if (alpha != 1f) {
            c00 = c00.mul(alpha);
            c01 = c01.mul(alpha);
            c02 = c02.mul(alpha);
            c03 = c03.mul(alpha);
            c10 = c10.mul(alpha);
            c11 = c11.mul(alpha);
            c12 = c12.mul(alpha);
            c13 = c13.mul(alpha);
            c20 = c20.mul(alpha);
            c21 = c21.mul(alpha);
            c22 = c22.mul(alpha);
            c23 = c23.mul(alpha);
        }
        if (load) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c02 = c02.add(FloatVector.fromArray(S, c, ci + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, ci + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, ci + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, ci + ldc + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c03.intoArray(c, ci + 3 * L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c12.intoArray(c, ci + ldc + 2 * L);
        c13.intoArray(c, ci + ldc + 3 * L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c23.intoArray(c, ci + 2 * ldc + 3 * L);
    }
}
