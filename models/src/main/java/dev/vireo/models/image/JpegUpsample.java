package dev.vireo.models.image;

/**
 * libjpeg-turbo's chroma upsampling (jdsample.c) on whole planes: "fancy" triangular filters for 2x1 (h2v1), 2x2
 * (h2v2) and 1x2 (h1v2) subsampling, with edge rows repeated as jdmainct.c does, and plain replication otherwise.
 * A plane is {@code w x h} real samples stored with row stride {@code stride}.
 */
final class JpegUpsample {
    private JpegUpsample() {
    }

    /** Upsamples a plane by integer factors (fh, fv) to exactly outW x outH. */
    static byte[] upsample(byte[] in, int w, int h, int stride, int fh, int fv, int outW, int outH, boolean fancy) {
        byte[] out = new byte[outW * outH];
        if (fancy && fh == 2 && fv == 1 && w > 2) {
            byte[] row = new byte[2 * w];
            for (int y = 0; y < outH; y++) {
                h2v1(in, y * stride, w, row);
                System.arraycopy(row, 0, out, y * outW, outW);
            }
        } else if (fancy && fh == 2 && fv == 2 && w > 2) {
            byte[] row = new byte[2 * w];
            for (int y = 0; y < outH; y++) {
                int k = y >> 1;
                int far = (y & 1) == 0 ? Math.max(k - 1, 0) : Math.min(k + 1, h - 1);
                h2v2(in, k * stride, far * stride, w, row);
                System.arraycopy(row, 0, out, y * outW, outW);
            }
        } else if (fancy && fh == 1 && fv == 2) {
            for (int y = 0; y < outH; y++) {
                int k = y >> 1;
                boolean upper = (y & 1) == 0;
                int far = upper ? Math.max(k - 1, 0) : Math.min(k + 1, h - 1);
                int bias = upper ? 1 : 2, a = k * stride, b = far * stride, o = y * outW;
                for (int x = 0; x < outW; x++) out[o + x] = (byte) (((in[a + x] & 0xFF) * 3 + (in[b + x] & 0xFF) + bias) >> 2);
            }
        } else {
            for (int y = 0; y < outH; y++) {
                int src = Math.min(y / fv, h - 1) * stride, o = y * outW;
                for (int x = 0; x < outW; x++) out[o + x] = in[src + Math.min(x / fh, w - 1)];
            }
        }
        return out;
    }

    /** h2v1_fancy_upsample: 3/4 nearer + 1/4 further sample, alternating rounding bias 1 and 2. */
    private static void h2v1(byte[] in, int a, int w, byte[] out) {
        int v = in[a] & 0xFF;
        out[0] = (byte) v;
        out[1] = (byte) ((v * 3 + (in[a + 1] & 0xFF) + 2) >> 2);
        for (int x = 1; x < w - 1; x++) {
            int t = (in[a + x] & 0xFF) * 3;
            out[2 * x] = (byte) ((t + (in[a + x - 1] & 0xFF) + 1) >> 2);
            out[2 * x + 1] = (byte) ((t + (in[a + x + 1] & 0xFF) + 2) >> 2);
        }
        v = in[a + w - 1] & 0xFF;
        out[2 * w - 2] = (byte) ((v * 3 + (in[a + w - 2] & 0xFF) + 1) >> 2);
        out[2 * w - 1] = (byte) v;
    }

    /** h2v2_fancy_upsample: column sums 3 near + 1 far row, then 3/4 + 1/4 across columns (9/16, 3/16, 3/16, 1/16). */
    private static void h2v2(byte[] in, int near, int far, int w, byte[] out) {
        int thisSum = (in[near] & 0xFF) * 3 + (in[far] & 0xFF);
        int nextSum = (in[near + 1] & 0xFF) * 3 + (in[far + 1] & 0xFF);
        out[0] = (byte) ((thisSum * 4 + 8) >> 4);
        out[1] = (byte) ((thisSum * 3 + nextSum + 7) >> 4);
        int lastSum = thisSum;
        thisSum = nextSum;
        for (int x = 1; x < w - 1; x++) {
            nextSum = (in[near + x + 1] & 0xFF) * 3 + (in[far + x + 1] & 0xFF);
            out[2 * x] = (byte) ((thisSum * 3 + lastSum + 8) >> 4);
            out[2 * x + 1] = (byte) ((thisSum * 3 + nextSum + 7) >> 4);
            lastSum = thisSum;
            thisSum = nextSum;
        }
        out[2 * w - 2] = (byte) ((thisSum * 3 + lastSum + 8) >> 4);
        out[2 * w - 1] = (byte) ((thisSum * 4 + 7) >> 4);
    }
}
