package dev.vireo.models.image;

import java.awt.image.Raster;

/**
 * Colour conversion of javax.imageio's raw JPEG rasters ({@code readRaster}: upsampled but not colour-converted),
 * reproducing libjpeg-turbo 2.1 as PIL uses it: the fixed-point YCbCr tables of jdcolor.c, PIL's CMYK handling, and
 * libjpeg-turbo's h1v2 fancy upsampling where the JDK's libjpeg 6b replicates chroma rows. Embedded ICC profiles are
 * ignored, as PIL's {@code convert("RGB")} ignores them.
 */
final class JpegColor {
    private JpegColor() {
    }

    /** RGB from a 3-band raw raster: YCbCr (libjpeg's integer conversion) or, for Adobe/RGB-id files, RGB as stored. */
    static RgbImage fromThreeBands(Raster raster, JpegMarkers markers) {
        int w = raster.getWidth(), h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * 3];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int i = 0; i < w * 3; i++) out[y * w * 3 + i] = (byte) row[i];
        }
        if (markers.isRgb()) return new RgbImage(w, h, out);
        if (markers.isH1V2()) refancyH1V2(out, w, h);
        return ycbcrToRgbInPlace(new RgbImage(w, h, out));
    }

    /** libjpeg's integer YCbCr to RGB on interleaved Y, Cb, Cr bytes, in place; returns the same image. */
    static RgbImage ycbcrToRgbInPlace(RgbImage ycc) {
        byte[] out = ycc.pixels();
        for (int i = 0; i < out.length; i += 3) {
            int luma = out[i] & 0xFF, cb = out[i + 1] & 0xFF, cr = out[i + 2] & 0xFF;
            out[i] = CLAMP[CLAMP_OFFSET + luma + CR_R[cr]];
            out[i + 1] = CLAMP[CLAMP_OFFSET + luma + ((CB_G[cb] + CR_G[cr]) >> 16)];
            out[i + 2] = CLAMP[CLAMP_OFFSET + luma + CB_B[cb]];
        }
        return ycc;
    }

    // jdcolor.c's build_ycc_rgb_table, indexed by the unsigned sample; CLAMP is range_limit over -384..639
    private static final int[] CR_R = new int[256], CB_B = new int[256], CR_G = new int[256], CB_G = new int[256];
    private static final int CLAMP_OFFSET = 384;
    private static final byte[] CLAMP = new byte[1024];

    static {
        for (int i = 0; i < 256; i++) {
            CR_R[i] = crToR(i - 128);
            CB_B[i] = cbToB(i - 128);
            CR_G[i] = crToG(i - 128);
            CB_G[i] = cbToG(i - 128);
        }
        for (int i = 0; i < CLAMP.length; i++) CLAMP[i] = (byte) clamp(i - CLAMP_OFFSET);
    }

    /**
     * Replaces the replicated chroma of a 4:4:0 image (rows 2k and 2k+1 both hold chroma row k) by libjpeg-turbo's
     * h1v2_fancy_upsample: row 2k = (3 c[k] + c[k-1] + 1) >> 2, row 2k+1 = (3 c[k] + c[k+1] + 2) >> 2, with the first and
     * last chroma rows repeated beyond the edges.
     */
    static void refancyH1V2(byte[] ycc, int w, int h) {
        int rows = (h + 1) / 2;
        int[][] chroma = new int[2][rows * w]; // (2, rows, w): Cb and Cr before upsampling
        for (int k = 0; k < rows; k++) {
            for (int x = 0; x < w; x++) {
                int i = (2 * k * w + x) * 3;
                chroma[0][k * w + x] = ycc[i + 1] & 0xFF;
                chroma[1][k * w + x] = ycc[i + 2] & 0xFF;
            }
        }
        for (int y = 0; y < h; y++) {
            int k = y >> 1;
            boolean upper = (y & 1) == 0;
            int near = k, far = upper ? Math.max(k - 1, 0) : Math.min(k + 1, rows - 1);
            int bias = upper ? 1 : 2;
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                for (int c = 0; c < 2; c++) {
                    int[] plane = chroma[c];
                    ycc[i + 1 + c] = (byte) ((plane[near * w + x] * 3 + plane[far * w + x] + bias) >> 2);
                }
            }
        }
    }

    /**
     * RGB from a raw 4-band raster. YCCK (Adobe transform 2) becomes CMYK with libjpeg's {@code ycck_cmyk_convert};
     * PIL then reads CMYK as inverted ("CMYK;I") and applies {@code cmyk2rgb}: out = nk - (255 - c) * nk / 255 (rounded
     * as MULDIV255), where nk = 255 - k' = k for the stored, non-inverted k.
     */
    static RgbImage fromFourBands(Raster raster, boolean ycck) {
        int w = raster.getWidth(), h = raster.getHeight();
        int[] row = new int[w * 4];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int c = row[x * 4], m = row[x * 4 + 1], ye = row[x * 4 + 2], k = row[x * 4 + 3];
                if (ycck) {
                    int luma = c, cb = m - 128, cr = ye - 128;
                    c = clamp(255 - (luma + crToR(cr)));
                    m = clamp(255 - (luma + ((cbToG(cb) + crToG(cr)) >> 16)));
                    ye = clamp(255 - (luma + cbToB(cb)));
                }
                int o = (y * w + x) * 3;
                out[o] = (byte) clamp(k - mulDiv255(255 - c, k));
                out[o + 1] = (byte) clamp(k - mulDiv255(255 - m, k));
                out[o + 2] = (byte) clamp(k - mulDiv255(255 - ye, k));
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Grey from a 1-band raw raster, replicated into R, G and B. */
    static RgbImage fromOneBand(Raster raster) {
        int w = raster.getWidth(), h = raster.getHeight();
        int[] row = new int[w];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                out[o] = out[o + 1] = out[o + 2] = (byte) row[x];
            }
        }
        return new RgbImage(w, h, out);
    }

    // libjpeg jdcolor.c tables, SCALEBITS = 16: FIX(x) = round(x * 65536), ONE_HALF = 1 << 15
    private static int crToR(int cr) {
        return (91881 * cr + 32768) >> 16;
    }

    private static int cbToB(int cb) {
        return (116130 * cb + 32768) >> 16;
    }

    private static int crToG(int cr) {
        return -46802 * cr;
    }

    private static int cbToG(int cb) {
        return -22554 * cb + 32768;
    }

    /** PIL's MULDIV255: ((t >> 8) + t) >> 8 with t = a*b + 128, a*b/255 rounded. */
    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
