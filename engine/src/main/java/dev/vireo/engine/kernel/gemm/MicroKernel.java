package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled micro-kernels of {@link PackedGemm}: a 6×(2·lanes) tile of C held in 12
 * accumulators, updated by one rank-1 product per k step (two B loads, six broadcasts of A, twelve
 * FMAs). One class per vector width, each with its species in a {@code static final} field: C2
 * only turns Vector API calls into machine vectors when the species is a constant (a species read
 * from an instance field ran the same loop ~70× slower on JDK 25). The bodies are identical but for
 * the species. A larger tile (8×48, 24 accumulators) spills registers and collapses.
 */
abstract sealed class MicroKernel permits MicroKernel.W512, MicroKernel.W256, MicroKernel.W128 {
    /** Rows of the register tile. */
    static final int MR = 6;

    /** The micro-kernel for a vector width of 128, 256 or 512 bits. */
    static MicroKernel of(int bits) {
        return switch (bits) {
            case 512 -> new W512();
            case 256 -> new W256();
            case 128 -> new W128();
            default -> throw new IllegalArgumentException("PackedGemm: vector width must be 128, 256 or 512 bits, got " + bits);
        };
    }

    /** Columns of the register tile: two vectors. */
    abstract int nr();

    /**
     * One full MR×nr tile: {@code C = alpha·Σ_p A[:,p]·B[p,:] (+ C when load) (+ bias[biasOff..])}
     * over kc steps of the packed panels {@code ap[ai..]} and {@code bp[bi..]}; bias may be null.
     */
    abstract void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                       float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff);

    /**
     * The final stages on {@code rows} rows of nr values of C just written by {@link #tile}:
     * {@code C = act(C) (+ residual)}; act and residual may be null.
     */
    abstract void finishRows(float[] c, int ci, int ldc, int rows, UnaryOp act, float[] res, int ri, int ldr);

    /** 512-bit vectors: 16 lanes, tile 6×32. */
    static final class W512 extends MicroKernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
        private static final int L = 16;

        @Override
        int nr() {
            return 2 * L;
        }

        @Override
        void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff) {
            // 12 accumulators: enough independent FMA chains to hide latency, few enough to stay in registers
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++, ai += MR, bi += 2 * L) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector a = FloatVector.broadcast(S, ap[ai]);
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
            if (bias != null) {
                FloatVector d0 = FloatVector.fromArray(S, bias, biasOff), d1 = FloatVector.fromArray(S, bias, biasOff + L);
                c00 = c00.add(d0);
                c01 = c01.add(d1);
                c10 = c10.add(d0);
                c11 = c11.add(d1);
                c20 = c20.add(d0);
                c21 = c21.add(d1);
                c30 = c30.add(d0);
                c31 = c31.add(d1);
                c40 = c40.add(d0);
                c41 = c41.add(d1);
                c50 = c50.add(d0);
                c51 = c51.add(d1);
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
        void finishRows(float[] c, int ci, int ldc, int rows, UnaryOp act, float[] res, int ri, int ldr) {
            for (int r = 0; r < rows; r++, ci += ldc, ri += ldr) {
                for (int x = 0; x < 2 * L; x += L) {
                    FloatVector v = FloatVector.fromArray(S, c, ci + x);
                    if (act != null) v = EpilogueMath.apply(act, v);
                    if (res != null) v = v.add(FloatVector.fromArray(S, res, ri + x));
                    v.intoArray(c, ci + x);
                }
            }
        }
    }

    /** 256-bit vectors: 8 lanes, tile 6×16. */
    static final class W256 extends MicroKernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
        private static final int L = 8;

        @Override
        int nr() {
            return 2 * L;
        }

        @Override
        void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff) {
            // 12 accumulators: enough independent FMA chains to hide latency, few enough to stay in registers
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++, ai += MR, bi += 2 * L) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector a = FloatVector.broadcast(S, ap[ai]);
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
            if (bias != null) {
                FloatVector d0 = FloatVector.fromArray(S, bias, biasOff), d1 = FloatVector.fromArray(S, bias, biasOff + L);
                c00 = c00.add(d0);
                c01 = c01.add(d1);
                c10 = c10.add(d0);
                c11 = c11.add(d1);
                c20 = c20.add(d0);
                c21 = c21.add(d1);
                c30 = c30.add(d0);
                c31 = c31.add(d1);
                c40 = c40.add(d0);
                c41 = c41.add(d1);
                c50 = c50.add(d0);
                c51 = c51.add(d1);
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
        void finishRows(float[] c, int ci, int ldc, int rows, UnaryOp act, float[] res, int ri, int ldr) {
            for (int r = 0; r < rows; r++, ci += ldc, ri += ldr) {
                for (int x = 0; x < 2 * L; x += L) {
                    FloatVector v = FloatVector.fromArray(S, c, ci + x);
                    if (act != null) v = EpilogueMath.apply(act, v);
                    if (res != null) v = v.add(FloatVector.fromArray(S, res, ri + x));
                    v.intoArray(c, ci + x);
                }
            }
        }
    }

    /** 128-bit vectors: 4 lanes, tile 6×8. */
    static final class W128 extends MicroKernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
        private static final int L = 4;

        @Override
        int nr() {
            return 2 * L;
        }

        @Override
        void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff) {
            // 12 accumulators: enough independent FMA chains to hide latency, few enough to stay in registers
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (int p = 0; p < kc; p++, ai += MR, bi += 2 * L) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector a = FloatVector.broadcast(S, ap[ai]);
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
            if (bias != null) {
                FloatVector d0 = FloatVector.fromArray(S, bias, biasOff), d1 = FloatVector.fromArray(S, bias, biasOff + L);
                c00 = c00.add(d0);
                c01 = c01.add(d1);
                c10 = c10.add(d0);
                c11 = c11.add(d1);
                c20 = c20.add(d0);
                c21 = c21.add(d1);
                c30 = c30.add(d0);
                c31 = c31.add(d1);
                c40 = c40.add(d0);
                c41 = c41.add(d1);
                c50 = c50.add(d0);
                c51 = c51.add(d1);
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
        void finishRows(float[] c, int ci, int ldc, int rows, UnaryOp act, float[] res, int ri, int ldr) {
            for (int r = 0; r < rows; r++, ci += ldc, ri += ldr) {
                for (int x = 0; x < 2 * L; x += L) {
                    FloatVector v = FloatVector.fromArray(S, c, ci + x);
                    if (act != null) v = EpilogueMath.apply(act, v);
                    if (res != null) v = v.add(FloatVector.fromArray(S, res, ri + x));
                    v.intoArray(c, ci + x);
                }
            }
        }
    }
}
