package dev.vireo.engine.kernel.gemm;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EightRowTransposeTest {
    /** The panel of the scalar definition, dst[dOff + c·8 + r] = src[sOff + r·srcLd + c], as raw bits. */
    @Test
    void packsEightRowsAsTheScalarCopyDoesBitForBit() {
        Random rng = new Random(11);
        float[] specials = {Float.NaN, Float.intBitsToFloat(0x7fc0_1234), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE};
        for (int width : new int[] {0, 1, 7, 15, 16, 17, 31, 32, 33, 47, 48, 100, 256}) {
            for (int extra : new int[] {0, 3}) {
                int srcLd = width + extra, sOff = 5, dOff = 9;
                float[] src = new float[sOff + 8 * srcLd + 1];
                for (int i = 0; i < src.length; i++) src[i] = rng.nextInt(10) == 0 ? specials[rng.nextInt(specials.length)] : (float) rng.nextGaussian();
                float[] want = new float[dOff + width * 8 + 4], got = new float[want.length];
                for (int r = 0; r < 8; r++) for (int c = 0; c < width; c++) want[dOff + c * 8 + r] = src[sOff + r * srcLd + c];
                EightRowTranspose.pack(got, dOff, src, sOff, srcLd, width);
                for (int i = 0; i < want.length; i++) {
                    assertThat(Float.floatToRawIntBits(got[i])).as("width %d, ld %d, index %d", width, srcLd, i)
                            .isEqualTo(Float.floatToRawIntBits(want[i]));
                }
            }
        }
    }
}
