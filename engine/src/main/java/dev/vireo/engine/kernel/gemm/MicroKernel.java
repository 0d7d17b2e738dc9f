package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.kernel.row.VectorRowKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled micro-kernels of {@link PackedGemm}: an MR×(2·lanes) tile of C held in 2·MR
 * vector accumulators, updated by one rank-1 product per k step (two B loads, MR broadcasts of A,
 * 2·MR FMAs). 512 bits: 8×32 in 16 of AVX-512's 32 registers (measured a few % faster than 6×32);
 * 256 and 128 bits: 6 rows, 12 accumulators, so AVX2's 16 registers do not spill. One class per
 * width, each with its species in a {@code static final} field: C2 only turns Vector API calls into machine vectors when the species is a constant (a species read
 * from an instance field ran the same loop ~70× slower on JDK 25). The bodies are identical but for
 * the species and MR. A larger tile (8×48, 24 accumulators) spills registers and collapses.
 */
abstract sealed class MicroKernel permits MicroKernel.W512, MicroKernel.W256, MicroKernel.W128 {

    /** The micro-kernel for a vector width of 128, 256 or 512 bits. */
    static MicroKernel of(int bits) {
        return switch (bits) {
            case 512 -> new W512();
            case 256 -> new W256();
            case 128 -> new W128();
            default -> throw new IllegalArgumentException("PackedGemm: vector width must be 128, 256 or 512 bits, got " + bits);
        };
    }

    /** Rows of the register tile. */
    abstract int mr();

    /** Columns of the register tile: two vectors. */
    abstract int nr();

    /**
     * One full mr×nr tile: {@code C = alpha·Σ_p A[:,p]·B[p,:] (+ C when load) (+ bias[biasOff..])}
     * over kc steps of the packed panels {@code ap[ai..]} and {@code bp[bi..]}; bias may be null.
     */
    abstract void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                       float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff);

    /**
     * The final stages on {@code rows} rows of nr values of C just written by {@link #tile}:
     * {@code C = act(C) (+ residual)}; act and residual may be null.
     */
    final void finishRows(float[] c, int ci, int ldc, int rows, UnaryOp act, float[] res, int ri, int ldr) {
        // one pointwise loop per function (see VectorPointwise): a vector crossing a call C2 did not inline is boxed
        VectorRowKernels k = pointwise();
        int w = nr();
        for (int r = 0; r < rows; r++, ci += ldc, ri += ldr) {
            if (act != null) k.unary(act, c, ci, c, ci, w);
            if (res != null) k.add(c, ci, c, ci, res, ri, w);
        }
    }

    /** Pointwise kernels of this width (lane for lane the same bits as any other width). */
    abstract VectorRowKernels pointwise();

    /** 512-bit vectors: 16 lanes, tile 8×32. */
    static final class W512 extends MicroKernel {
        private static final VectorRowKernels POINTWISE = VectorRowKernels.create(512);
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
        private static final int L = 16;
        private static final int MR = 8;

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
        void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff) {
            // 16 independent FMA chains hide the FMA latency and still fit the register file
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00;
            FloatVector c70 = c00, c71 = c00;
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
                a = FloatVector.broadcast(S, ap[ai + 6]);
                c60 = a.fma(b0, c60);
                c61 = a.fma(b1, c61);
                a = FloatVector.broadcast(S, ap[ai + 7]);
                c70 = a.fma(b0, c70);
                c71 = a.fma(b1, c71);
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
                c60 = c60.mul(alpha);
                c61 = c61.mul(alpha);
                c70 = c70.mul(alpha);
                c71 = c71.mul(alpha);
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
                c60 = c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc));
                c61 = c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
                c70 = c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc));
                c71 = c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
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
                c60 = c60.add(d0);
                c61 = c61.add(d1);
                c70 = c70.add(d0);
                c71 = c71.add(d1);
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
            c60.intoArray(c, ci + 6 * ldc);
            c61.intoArray(c, ci + 6 * ldc + L);
            c70.intoArray(c, ci + 7 * ldc);
            c71.intoArray(c, ci + 7 * ldc + L);
        }
    }

    /** 256-bit vectors: 8 lanes, tile 6×16. */
    static final class W256 extends MicroKernel {
        private static final VectorRowKernels POINTWISE = VectorRowKernels.create(256);
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
        private static final int L = 8;
        private static final int MR = 6;

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
        void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff) {
            // 12 independent FMA chains hide the FMA latency and still fit the register file
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
    }

    /** 128-bit vectors: 4 lanes, tile 6×8. */
    static final class W128 extends MicroKernel {
        private static final VectorRowKernels POINTWISE = VectorRowKernels.create(128);
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
        private static final int L = 4;
        private static final int MR = 6;

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
        void tile(float[] ap, int ai, float[] bp, int bi, int kc,
                  float[] c, int ci, int ldc, float alpha, boolean load, float[] bias, int biasOff) {
            // 12 independent FMA chains hide the FMA latency and still fit the register file
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
    }
}
