package dev.vireo.engine.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Eight rows of A into the (width × 8) micro-panel the 512-bit micro-kernel reads, 16 columns at a
 * time in registers: eight row loads, three stages of two-source permutes, eight stores. Before the
 * stages vector r holds row r, lane c column c (index bits r2 r1 r0 | c3 c2 c1 c0); the first two
 * stages exchange a vector bit with a lane bit as {@code VectorTranspose} does (r2 with c3, then r1
 * with c2), and the third exchanges r0 with c1 and puts the lanes in the panel's order at once, so
 * vector q ends holding columns 2q and 2q+1 of the eight rows: 16 consecutive floats of the panel.
 * Only moves values: the panel holds the same bits as the scalar copy's. A batch's rows stream from
 * memory here; a gather of the eight rows' values per column took 1.0 ns per value, the scalar copy
 * 0.9 (4928 rows of 512 floats, warm, one thread). Its own class with one constant species, so the
 * permute intrinsic sees one vector shape.
 */
final class EightRowTranspose {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** Permute indices, 16 per vector (index ≥ 16: the second source): stage 1 low/high, stage 2 low/high, stage 3 low/high. */
    private static final float[] IDX = new float[6 * 16];

    static {
        for (int l = 0; l < 16; l++) {
            IDX[l] = (l & 8) == 0 ? l : 16 + l - 8;        // stage 1, rows r and r+4: columns c3 = 0
            IDX[16 + l] = (l & 8) == 0 ? l + 8 : 16 + l;   // c3 = 1
            IDX[32 + l] = (l & 4) == 0 ? l : 16 + l - 4;   // stage 2, rows r and r+2: c2 = 0
            IDX[48 + l] = (l & 4) == 0 ? l + 4 : 16 + l;   // c2 = 1
            // stage 3, rows r and r+1: output lane l = (c0 r2 r1 r0) from the lane (r2 r1 c1 c0) of the row with that r0
            int from = (l & 1) * 16 + ((l >> 2) & 1) * 8 + ((l >> 1) & 1) * 4 + (l >> 3);
            IDX[64 + l] = from;                            // c1 = 0
            IDX[80 + l] = from + 2;                        // c1 = 1
        }
    }

    private EightRowTranspose() {}

    /** dst[dOff + c·8 + r] = src[sOff + r·srcLd + c] for r &lt; 8, c &lt; width (the last width mod 16 columns by scalar copies). */
    static void pack(float[] dst, int dOff, float[] src, int sOff, int srcLd, int width) {
        FloatVector l1 = FloatVector.fromArray(S, IDX, 0), h1 = FloatVector.fromArray(S, IDX, 16);
        FloatVector l2 = FloatVector.fromArray(S, IDX, 32), h2 = FloatVector.fromArray(S, IDX, 48);
        FloatVector l3 = FloatVector.fromArray(S, IDX, 64), h3 = FloatVector.fromArray(S, IDX, 80);
        int c = 0;
        for (; c + 16 <= width; c += 16) {
            int s = sOff + c;
            FloatVector r0 = FloatVector.fromArray(S, src, s);
            FloatVector r1 = FloatVector.fromArray(S, src, s + srcLd);
            FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * srcLd);
            FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * srcLd);
            FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * srcLd);
            FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * srcLd);
            FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * srcLd);
            FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * srcLd);
            FloatVector lo, hi;
            // stage 1: vector bit 2 <-> lane bit 3
            lo = l1.selectFrom(r0, r4);
            hi = h1.selectFrom(r0, r4);
            r0 = lo;
            r4 = hi;
            lo = l1.selectFrom(r1, r5);
            hi = h1.selectFrom(r1, r5);
            r1 = lo;
            r5 = hi;
            lo = l1.selectFrom(r2, r6);
            hi = h1.selectFrom(r2, r6);
            r2 = lo;
            r6 = hi;
            lo = l1.selectFrom(r3, r7);
            hi = h1.selectFrom(r3, r7);
            r3 = lo;
            r7 = hi;
            // stage 2: vector bit 1 <-> lane bit 2
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
            // stage 3: vector bit 0 <-> lane bit 1, lanes to the panel's order; pair (2k, 2k+1) gives vectors 2k and 2k+1
            int d = dOff + c * 8;
            l3.selectFrom(r0, r1).intoArray(dst, d);
            h3.selectFrom(r0, r1).intoArray(dst, d + 16);
            l3.selectFrom(r2, r3).intoArray(dst, d + 32);
            h3.selectFrom(r2, r3).intoArray(dst, d + 48);
            l3.selectFrom(r4, r5).intoArray(dst, d + 64);
            h3.selectFrom(r4, r5).intoArray(dst, d + 80);
            l3.selectFrom(r6, r7).intoArray(dst, d + 96);
            h3.selectFrom(r6, r7).intoArray(dst, d + 112);
        }
        for (int r = 0; r < 8; r++) {
            int s = sOff + r * srcLd, o = dOff + r;
            for (int p = c; p < width; p++) dst[o + p * 8] = src[s + p];
        }
    }
}
