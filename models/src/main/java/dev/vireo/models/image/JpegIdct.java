package dev.vireo.models.image;

/**
 * libjpeg's integer inverse DCTs, bit-exact: {@code jpeg_idct_islow} (jidctint.c, 8x8 output) and the reduced-size
 * {@code jpeg_idct_4x4}, {@code jpeg_idct_2x2}, {@code jpeg_idct_1x1} (jidctred.c) that decode at 1/2, 1/4 and 1/8
 * scale straight from the coefficients (Loeffler, Ligtenberg and Moschytz 1989; CONST_BITS 13, PASS1_BITS 2).
 * Coefficients arrive in natural (row-major) order and are dequantised here; output is level-shifted and clamped
 * through libjpeg's post-IDCT range-limit table. Sums are in long, as JLONG is, so extreme inputs wrap identically.
 */
final class JpegIdct {
    private static final int CONST_BITS = 13, PASS1_BITS = 2;
    private static final long FIX_0_211164243 = 1730, FIX_0_298631336 = 2446, FIX_0_390180644 = 3196,
            FIX_0_509795579 = 4176, FIX_0_541196100 = 4433, FIX_0_601344887 = 4926, FIX_0_720959822 = 5906,
            FIX_0_765366865 = 6270, FIX_0_850430095 = 6967, FIX_0_899976223 = 7373, FIX_1_061594337 = 8697,
            FIX_1_175875602 = 9633, FIX_1_272758580 = 10426, FIX_1_451774981 = 11893, FIX_1_501321110 = 12299,
            FIX_1_847759065 = 15137, FIX_1_961570560 = 16069, FIX_2_053119869 = 16819, FIX_2_172734803 = 17799,
            FIX_2_562915447 = 20995, FIX_3_072711026 = 25172, FIX_3_624509785 = 29692;

    private JpegIdct() {
    }

    /** libjpeg's post-IDCT range_limit table, indexed by x & RANGE_MASK: x + 128 clamped to 0..255, wrapping past +-512. */
    private static final byte[] RANGE_LIMIT = new byte[1024];

    static {
        for (int i = 0; i < 1024; i++) RANGE_LIMIT[i] = (byte) (i < 128 ? i + 128 : i < 512 ? 255 : i < 896 ? 0 : i - 896);
    }

    static byte limit(long x) {
        return RANGE_LIMIT[(int) x & 1023];
    }

    private static long descale(long x, int n) {
        return (x + (1L << (n - 1))) >> n;
    }

    /** 8x8 output: jpeg_idct_islow. {@code ws} is a 64-int scratch array. */
    static void idct8(int[] coef, int[] q, int[] ws, byte[] out, int outOff, int stride) {
        for (int c = 0; c < 8; c++) { // pass 1: columns
            if (coef[8 + c] == 0 && coef[16 + c] == 0 && coef[24 + c] == 0 && coef[32 + c] == 0
                    && coef[40 + c] == 0 && coef[48 + c] == 0 && coef[56 + c] == 0) {
                int dc = (coef[c] * q[c]) << PASS1_BITS;
                for (int r = 0; r < 8; r++) ws[r * 8 + c] = dc;
                continue;
            }
            long z2 = (long) coef[16 + c] * q[16 + c], z3 = (long) coef[48 + c] * q[48 + c];
            long z1 = (z2 + z3) * FIX_0_541196100;
            long tmp2 = z1 + z3 * -FIX_1_847759065, tmp3 = z1 + z2 * FIX_0_765366865;
            z2 = (long) coef[c] * q[c];
            z3 = (long) coef[32 + c] * q[32 + c];
            long tmp0 = (z2 + z3) << CONST_BITS, tmp1 = (z2 - z3) << CONST_BITS;
            long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            // odd part (inputs 7, 5, 3, 1)
            tmp0 = (long) coef[56 + c] * q[56 + c];
            tmp1 = (long) coef[40 + c] * q[40 + c];
            tmp2 = (long) coef[24 + c] * q[24 + c];
            tmp3 = (long) coef[8 + c] * q[8 + c];
            z1 = tmp0 + tmp3;
            z2 = tmp1 + tmp2;
            z3 = tmp0 + tmp2;
            long z4 = tmp1 + tmp3;
            long z5 = (z3 + z4) * FIX_1_175875602;
            z1 *= -FIX_0_899976223;
            z2 *= -FIX_2_562915447;
            z3 = z3 * -FIX_1_961570560 + z5;
            z4 = z4 * -FIX_0_390180644 + z5;
            tmp0 = tmp0 * FIX_0_298631336 + z1 + z3;
            tmp1 = tmp1 * FIX_2_053119869 + z2 + z4;
            tmp2 = tmp2 * FIX_3_072711026 + z2 + z3;
            tmp3 = tmp3 * FIX_1_501321110 + z1 + z4;
            int n = CONST_BITS - PASS1_BITS;
            ws[c] = (int) descale(tmp10 + tmp3, n);
            ws[56 + c] = (int) descale(tmp10 - tmp3, n);
            ws[8 + c] = (int) descale(tmp11 + tmp2, n);
            ws[48 + c] = (int) descale(tmp11 - tmp2, n);
            ws[16 + c] = (int) descale(tmp12 + tmp1, n);
            ws[40 + c] = (int) descale(tmp12 - tmp1, n);
            ws[24 + c] = (int) descale(tmp13 + tmp0, n);
            ws[32 + c] = (int) descale(tmp13 - tmp0, n);
        }
        int n = CONST_BITS + PASS1_BITS + 3;
        for (int r = 0; r < 8; r++) { // pass 2: rows
            int w = r * 8, o = outOff + r * stride;
            if (ws[w + 1] == 0 && ws[w + 2] == 0 && ws[w + 3] == 0 && ws[w + 4] == 0 && ws[w + 5] == 0
                    && ws[w + 6] == 0 && ws[w + 7] == 0) {
                byte v = limit(descale(ws[w], PASS1_BITS + 3));
                for (int i = 0; i < 8; i++) out[o + i] = v;
                continue;
            }
            long z2 = ws[w + 2], z3 = ws[w + 6];
            long z1 = (z2 + z3) * FIX_0_541196100;
            long tmp2 = z1 + z3 * -FIX_1_847759065, tmp3 = z1 + z2 * FIX_0_765366865;
            long tmp0 = ((long) ws[w] + ws[w + 4]) << CONST_BITS, tmp1 = ((long) ws[w] - ws[w + 4]) << CONST_BITS;
            long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            // odd part (inputs 7, 5, 3, 1)
            tmp0 = ws[w + 7];
            tmp1 = ws[w + 5];
            tmp2 = ws[w + 3];
            tmp3 = ws[w + 1];
            z1 = tmp0 + tmp3;
            z2 = tmp1 + tmp2;
            z3 = tmp0 + tmp2;
            long z4 = tmp1 + tmp3;
            long z5 = (z3 + z4) * FIX_1_175875602;
            z1 *= -FIX_0_899976223;
            z2 *= -FIX_2_562915447;
            z3 = z3 * -FIX_1_961570560 + z5;
            z4 = z4 * -FIX_0_390180644 + z5;
            tmp0 = tmp0 * FIX_0_298631336 + z1 + z3;
            tmp1 = tmp1 * FIX_2_053119869 + z2 + z4;
            tmp2 = tmp2 * FIX_3_072711026 + z2 + z3;
            tmp3 = tmp3 * FIX_1_501321110 + z1 + z4;
            out[o] = limit(descale(tmp10 + tmp3, n));
            out[o + 7] = limit(descale(tmp10 - tmp3, n));
            out[o + 1] = limit(descale(tmp11 + tmp2, n));
            out[o + 6] = limit(descale(tmp11 - tmp2, n));
            out[o + 2] = limit(descale(tmp12 + tmp1, n));
            out[o + 5] = limit(descale(tmp12 - tmp1, n));
            out[o + 3] = limit(descale(tmp13 + tmp0, n));
            out[o + 4] = limit(descale(tmp13 - tmp0, n));
        }
    }

    /** 4x4 output: jpeg_idct_4x4 (column and row 4 are unused). */
    static void idct4(int[] coef, int[] q, int[] ws, byte[] out, int outOff, int stride) {
        for (int c = 0; c < 8; c++) {
            if (c == 4) continue;
            if (coef[8 + c] == 0 && coef[16 + c] == 0 && coef[24 + c] == 0 && coef[40 + c] == 0
                    && coef[48 + c] == 0 && coef[56 + c] == 0) {
                int dc = (coef[c] * q[c]) << PASS1_BITS;
                for (int r = 0; r < 4; r++) ws[r * 8 + c] = dc;
                continue;
            }
            long tmp0 = ((long) coef[c] * q[c]) << (CONST_BITS + 1);
            long tmp2 = (long) coef[16 + c] * q[16 + c] * FIX_1_847759065 + (long) coef[48 + c] * q[48 + c] * -FIX_0_765366865;
            long tmp10 = tmp0 + tmp2, tmp12 = tmp0 - tmp2;
            long z1 = (long) coef[56 + c] * q[56 + c], z2 = (long) coef[40 + c] * q[40 + c];
            long z3 = (long) coef[24 + c] * q[24 + c], z4 = (long) coef[8 + c] * q[8 + c];
            long t0 = z1 * -FIX_0_211164243 + z2 * FIX_1_451774981 + z3 * -FIX_2_172734803 + z4 * FIX_1_061594337;
            long t2 = z1 * -FIX_0_509795579 + z2 * -FIX_0_601344887 + z3 * FIX_0_899976223 + z4 * FIX_2_562915447;
            int n = CONST_BITS - PASS1_BITS + 1;
            ws[c] = (int) descale(tmp10 + t2, n);
            ws[24 + c] = (int) descale(tmp10 - t2, n);
            ws[8 + c] = (int) descale(tmp12 + t0, n);
            ws[16 + c] = (int) descale(tmp12 - t0, n);
        }
        int n = CONST_BITS + PASS1_BITS + 3 + 1;
        for (int r = 0; r < 4; r++) {
            int w = r * 8, o = outOff + r * stride;
            if (ws[w + 1] == 0 && ws[w + 2] == 0 && ws[w + 3] == 0 && ws[w + 5] == 0 && ws[w + 6] == 0 && ws[w + 7] == 0) {
                byte v = limit(descale(ws[w], PASS1_BITS + 3));
                for (int i = 0; i < 4; i++) out[o + i] = v;
                continue;
            }
            long tmp0 = (long) ws[w] << (CONST_BITS + 1);
            long tmp2 = ws[w + 2] * FIX_1_847759065 + ws[w + 6] * -FIX_0_765366865;
            long tmp10 = tmp0 + tmp2, tmp12 = tmp0 - tmp2;
            long z1 = ws[w + 7], z2 = ws[w + 5], z3 = ws[w + 3], z4 = ws[w + 1];
            long t0 = z1 * -FIX_0_211164243 + z2 * FIX_1_451774981 + z3 * -FIX_2_172734803 + z4 * FIX_1_061594337;
            long t2 = z1 * -FIX_0_509795579 + z2 * -FIX_0_601344887 + z3 * FIX_0_899976223 + z4 * FIX_2_562915447;
            out[o] = limit(descale(tmp10 + t2, n));
            out[o + 3] = limit(descale(tmp10 - t2, n));
            out[o + 1] = limit(descale(tmp12 + t0, n));
            out[o + 2] = limit(descale(tmp12 - t0, n));
        }
    }

    /** 2x2 output: jpeg_idct_2x2 (only columns and rows 0, 1, 3, 5, 7 matter). */
    static void idct2(int[] coef, int[] q, int[] ws, byte[] out, int outOff, int stride) {
        for (int c = 0; c < 8; c++) {
            if (c == 2 || c == 4 || c == 6) continue;
            if (coef[8 + c] == 0 && coef[24 + c] == 0 && coef[40 + c] == 0 && coef[56 + c] == 0) {
                int dc = (coef[c] * q[c]) << PASS1_BITS;
                ws[c] = dc;
                ws[8 + c] = dc;
                continue;
            }
            long tmp10 = ((long) coef[c] * q[c]) << (CONST_BITS + 2);
            long tmp0 = (long) coef[56 + c] * q[56 + c] * -FIX_0_720959822 + (long) coef[40 + c] * q[40 + c] * FIX_0_850430095
                    + (long) coef[24 + c] * q[24 + c] * -FIX_1_272758580 + (long) coef[8 + c] * q[8 + c] * FIX_3_624509785;
            int n = CONST_BITS - PASS1_BITS + 2;
            ws[c] = (int) descale(tmp10 + tmp0, n);
            ws[8 + c] = (int) descale(tmp10 - tmp0, n);
        }
        int n = CONST_BITS + PASS1_BITS + 3 + 2;
        for (int r = 0; r < 2; r++) {
            int w = r * 8, o = outOff + r * stride;
            if (ws[w + 1] == 0 && ws[w + 3] == 0 && ws[w + 5] == 0 && ws[w + 7] == 0) {
                byte v = limit(descale(ws[w], PASS1_BITS + 3));
                out[o] = v;
                out[o + 1] = v;
                continue;
            }
            long tmp10 = (long) ws[w] << (CONST_BITS + 2);
            long tmp0 = ws[w + 7] * -FIX_0_720959822 + ws[w + 5] * FIX_0_850430095 + ws[w + 3] * -FIX_1_272758580
                    + ws[w + 1] * FIX_3_624509785;
            out[o] = limit(descale(tmp10 + tmp0, n));
            out[o + 1] = limit(descale(tmp10 - tmp0, n));
        }
    }

    /** 1x1 output: jpeg_idct_1x1, the DC term alone. */
    static void idct1(int[] coef, int[] q, byte[] out, int outOff) {
        out[outOff] = limit(descale((long) coef[0] * q[0], 3));
    }
}
