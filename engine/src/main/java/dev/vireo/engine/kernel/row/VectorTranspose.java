package dev.vireo.engine.kernel.row;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A block transpose in 16×16 tiles of 512-bit vectors (attention's K and V tiles, the GEMM's packing of a
 * transposed B):
 * sixteen row loads, four butterfly stages of two-source permutes (rows r and r+b, r without bit b,
 * exchange their b-lane halves, for b = 8, 4, 2, 1), sixteen stores. Every value moves through a
 * register once instead of through a scalar load and a strided store (measured on 50×64 heads:
 * 0.27 ns per value, the scalar loop 0.55-0.95). Its own class with its own constant species, so the
 * permute intrinsic sees one vector shape.
 */
public final class VectorTranspose {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** For b = 8, 4, 2, 1: the permute indices giving the low row, then the high row (index ≥ 16: the second row). */
    private static final float[] IDX = new float[8 * 16];

    static {
        int stage = 0;
        for (int b = 8; b >= 1; b >>= 1, stage++) {
            for (int l = 0; l < 16; l++) {
                IDX[2 * stage * 16 + l] = (l & b) == 0 ? l : 16 + l - b;
                IDX[(2 * stage + 1) * 16 + l] = (l & b) == 0 ? l + b : 16 + l;
            }
        }
    }

    private VectorTranspose() {}

    /** dst[c·ld + j] = src[sOff + j·srcLd + c] for j &lt; rows, c &lt; width (any sizes: the edges are scalar). */
    public static void transpose(float[] dst, int dOff, int ld, float[] src, int sOff, int srcLd, int rows, int width) {
        FloatVector l8 = FloatVector.fromArray(S, IDX, 0), h8 = FloatVector.fromArray(S, IDX, 16);
        FloatVector l4 = FloatVector.fromArray(S, IDX, 32), h4 = FloatVector.fromArray(S, IDX, 48);
        FloatVector l2 = FloatVector.fromArray(S, IDX, 64), h2 = FloatVector.fromArray(S, IDX, 80);
        FloatVector l1 = FloatVector.fromArray(S, IDX, 96), h1 = FloatVector.fromArray(S, IDX, 112);
        int j = 0;
        for (; j + 16 <= rows; j += 16) {
            int c = 0;
            for (; c + 16 <= width; c += 16) {
                int s = sOff + j * srcLd + c;
                // 16 named vectors, unrolled: an array of vectors would live on the heap
                FloatVector r0 = FloatVector.fromArray(S, src, s);
                FloatVector r1 = FloatVector.fromArray(S, src, s + 1 * srcLd);
                FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * srcLd);
                FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * srcLd);
                FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * srcLd);
                FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * srcLd);
                FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * srcLd);
                FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * srcLd);
                FloatVector r8 = FloatVector.fromArray(S, src, s + 8 * srcLd);
                FloatVector r9 = FloatVector.fromArray(S, src, s + 9 * srcLd);
                FloatVector r10 = FloatVector.fromArray(S, src, s + 10 * srcLd);
                FloatVector r11 = FloatVector.fromArray(S, src, s + 11 * srcLd);
                FloatVector r12 = FloatVector.fromArray(S, src, s + 12 * srcLd);
                FloatVector r13 = FloatVector.fromArray(S, src, s + 13 * srcLd);
                FloatVector r14 = FloatVector.fromArray(S, src, s + 14 * srcLd);
                FloatVector r15 = FloatVector.fromArray(S, src, s + 15 * srcLd);
                FloatVector lo, hi;
                // exchange the 8-lane halves of rows r and r+8
                lo = l8.selectFrom(r0, r8);
                hi = h8.selectFrom(r0, r8);
                r0 = lo;
                r8 = hi;
                lo = l8.selectFrom(r1, r9);
                hi = h8.selectFrom(r1, r9);
                r1 = lo;
                r9 = hi;
                lo = l8.selectFrom(r2, r10);
                hi = h8.selectFrom(r2, r10);
                r2 = lo;
                r10 = hi;
                lo = l8.selectFrom(r3, r11);
                hi = h8.selectFrom(r3, r11);
                r3 = lo;
                r11 = hi;
                lo = l8.selectFrom(r4, r12);
                hi = h8.selectFrom(r4, r12);
                r4 = lo;
                r12 = hi;
                lo = l8.selectFrom(r5, r13);
                hi = h8.selectFrom(r5, r13);
                r5 = lo;
                r13 = hi;
                lo = l8.selectFrom(r6, r14);
                hi = h8.selectFrom(r6, r14);
                r6 = lo;
                r14 = hi;
                lo = l8.selectFrom(r7, r15);
                hi = h8.selectFrom(r7, r15);
                r7 = lo;
                r15 = hi;
                // exchange the 4-lane halves of rows r and r+4
                lo = l4.selectFrom(r0, r4);
                hi = h4.selectFrom(r0, r4);
                r0 = lo;
                r4 = hi;
                lo = l4.selectFrom(r1, r5);
                hi = h4.selectFrom(r1, r5);
                r1 = lo;
                r5 = hi;
                lo = l4.selectFrom(r2, r6);
                hi = h4.selectFrom(r2, r6);
                r2 = lo;
                r6 = hi;
                lo = l4.selectFrom(r3, r7);
                hi = h4.selectFrom(r3, r7);
                r3 = lo;
                r7 = hi;
                lo = l4.selectFrom(r8, r12);
                hi = h4.selectFrom(r8, r12);
                r8 = lo;
                r12 = hi;
                lo = l4.selectFrom(r9, r13);
                hi = h4.selectFrom(r9, r13);
                r9 = lo;
                r13 = hi;
                lo = l4.selectFrom(r10, r14);
                hi = h4.selectFrom(r10, r14);
                r10 = lo;
                r14 = hi;
                lo = l4.selectFrom(r11, r15);
                hi = h4.selectFrom(r11, r15);
                r11 = lo;
                r15 = hi;
                // exchange the 2-lane halves of rows r and r+2
                lo = l2.selectFrom(r0, r2);
                hi = h2.selectFrom(r0, r2);
                r0 = lo;
                r2 = hi;
                lo = l2.selectFrom(r1, r3);
                hi = h2.selectFrom(r1, r3);
                r1 = lo;
                r3 = hi;
                lo = l2.selectFrom(r4, r6);
                hi = h2.selectFrom(r4, r6);
                r4 = lo;
                r6 = hi;
                lo = l2.selectFrom(r5, r7);
                hi = h2.selectFrom(r5, r7);
                r5 = lo;
                r7 = hi;
                lo = l2.selectFrom(r8, r10);
                hi = h2.selectFrom(r8, r10);
                r8 = lo;
                r10 = hi;
                lo = l2.selectFrom(r9, r11);
                hi = h2.selectFrom(r9, r11);
                r9 = lo;
                r11 = hi;
                lo = l2.selectFrom(r12, r14);
                hi = h2.selectFrom(r12, r14);
                r12 = lo;
                r14 = hi;
                lo = l2.selectFrom(r13, r15);
                hi = h2.selectFrom(r13, r15);
                r13 = lo;
                r15 = hi;
                // exchange the 1-lane halves of rows r and r+1
                lo = l1.selectFrom(r0, r1);
                hi = h1.selectFrom(r0, r1);
                r0 = lo;
                r1 = hi;
                lo = l1.selectFrom(r2, r3);
                hi = h1.selectFrom(r2, r3);
                r2 = lo;
                r3 = hi;
                lo = l1.selectFrom(r4, r5);
                hi = h1.selectFrom(r4, r5);
                r4 = lo;
                r5 = hi;
                lo = l1.selectFrom(r6, r7);
                hi = h1.selectFrom(r6, r7);
                r6 = lo;
                r7 = hi;
                lo = l1.selectFrom(r8, r9);
                hi = h1.selectFrom(r8, r9);
                r8 = lo;
                r9 = hi;
                lo = l1.selectFrom(r10, r11);
                hi = h1.selectFrom(r10, r11);
                r10 = lo;
                r11 = hi;
                lo = l1.selectFrom(r12, r13);
                hi = h1.selectFrom(r12, r13);
                r12 = lo;
                r13 = hi;
                lo = l1.selectFrom(r14, r15);
                hi = h1.selectFrom(r14, r15);
                r14 = lo;
                r15 = hi;
                int d = dOff + c * ld + j; // row r now holds column c + r of the block
                r0.intoArray(dst, d);
                r1.intoArray(dst, d + 1 * ld);
                r2.intoArray(dst, d + 2 * ld);
                r3.intoArray(dst, d + 3 * ld);
                r4.intoArray(dst, d + 4 * ld);
                r5.intoArray(dst, d + 5 * ld);
                r6.intoArray(dst, d + 6 * ld);
                r7.intoArray(dst, d + 7 * ld);
                r8.intoArray(dst, d + 8 * ld);
                r9.intoArray(dst, d + 9 * ld);
                r10.intoArray(dst, d + 10 * ld);
                r11.intoArray(dst, d + 11 * ld);
                r12.intoArray(dst, d + 12 * ld);
                r13.intoArray(dst, d + 13 * ld);
                r14.intoArray(dst, d + 14 * ld);
                r15.intoArray(dst, d + 15 * ld);
            }
            ScalarRowKernels.transpose(dst, dOff + c * ld + j, ld, src, sOff + j * srcLd + c, srcLd, 16, width - c);
        }
        ScalarRowKernels.transpose(dst, dOff + j, ld, src, sOff + j * srcLd, srcLd, rows - j, width);
    }
}
