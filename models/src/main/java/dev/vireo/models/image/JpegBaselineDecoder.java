package dev.vireo.models.image;

import dev.vireo.engine.VireoProperties;

import java.util.Arrays;

/**
 * A pure-Java decoder for baseline and extended sequential Huffman JPEGs with 8-bit samples and 1 or 3 components
 * (T.81 Annex F), reproducing libjpeg-turbo's output (islow IDCT, fancy upsampling, fixed-point YCbCr) so that at
 * scale 1 it equals {@link ImageDecoder}. It can also decode at 1/2, 1/4 or 1/8 scale in the DCT domain (libjpeg's
 * reduced IDCTs, chroma scaled through larger IDCTs as libjpeg-turbo does), bit-identical to PIL's {@code draft()},
 * doing far less work when the target is small. Progressive, arithmetic, 12-bit, lossless and CMYK
 * files are refused with {@link Unsupported}; callers fall back to javax.imageio.
 */
public final class JpegBaselineDecoder {
    private static final int[] ZIGZAG = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
            28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
            54, 47, 55, 62, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63};

    /** Thrown for valid JPEG features this decoder does not implement. */
    public static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    private final byte[] data;
    private final String source;
    private final int scale; // output block size: 8, 4, 2 or 1
    private final int[][] quant = new int[4][];
    private final JpegHuffman[] dcTables = new JpegHuffman[4], acTables = new JpegHuffman[4];
    private int width, height, ncomp, hmax, vmax, mcusX, mcusY, restartInterval;
    private int[] compId, compH, compV, compQ;
    /** Per component IDCT output size: {@code scale}, or larger for subsampled chroma (see {@link #readFrame}). */
    private int[] compScale;
    private byte[][] planes;
    private int[] planeStride;
    private int pos;
    private JpegBitReader in;

    private JpegBaselineDecoder(byte[] data, String source, int denominator) {
        if (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8) {
            throw new IllegalArgumentException("JpegBaselineDecoder: scale denominator must be 1, 2, 4 or 8, got " + denominator);
        }
        this.data = data;
        this.source = source;
        this.scale = 8 / denominator;
    }

    /** Decodes at 1/denominator scale (1, 2, 4, 8); output is ceil(W / d) x ceil(H / d), EXIF orientation applied. */
    public static RgbImage decode(byte[] data, String source, int denominator) {
        JpegBaselineDecoder d = new JpegBaselineDecoder(data, source, denominator);
        try {
            d.parse();
            return ExifOrientation.apply(d.toRgb(), ExifOrientation.read(data));
        } catch (ImageDecodeException | Unsupported e) {
            throw e;
        } catch (RuntimeException e) { // corrupt headers can index past tables or the end of the data
            throw new ImageDecodeException(source, "JPEG data is corrupt (" + e + ")", e);
        }
    }

    /** The largest DCT scale denominator (8, 4, 2, 1) whose output keeps the short side at least {@code minShort}. */
    public static int denominatorFor(int width, int height, int minShort) {
        int shortSide = Math.min(width, height);
        for (int d = 8; d > 1; d /= 2) {
            if ((shortSide + d - 1) / d >= minShort) return d;
        }
        return 1;
    }

    /** Width and height from the SOF marker without decoding, or null if there is none before the first scan. */
    public static int[] size(byte[] data) {
        int p = 2;
        while (p + 9 < data.length && (data[p] & 0xFF) == 0xFF) {
            int m = data[p + 1] & 0xFF;
            if (m == 0xFF) {
                p++;
                continue;
            }
            int len = u16(data, p + 2);
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                return new int[]{u16(data, p + 7), u16(data, p + 5)};
            }
            if (m == 0xDA || m == 0xD9) return null;
            p += 2 + len;
        }
        return null;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private void parse() {
        if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) throw corrupt("no SOI marker");
        pos = 2;
        boolean frame = false, scanned = false;
        while (true) {
            int m = nextMarker();
            if (m == 0xD9) break; // EOI
            if (m == -1) {
                if (scanned) throw corrupt("file is truncated (no EOI marker)");
                throw corrupt("no image data");
            }
            int len = u16(data, pos);
            int seg = pos + 2, end = pos + len;
            if (end > data.length) throw corrupt("file is truncated inside marker 0x" + Integer.toHexString(m));
            switch (m) {
                case 0xC0, 0xC1 -> {
                    readFrame(seg);
                    frame = true;
                }
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF ->
                        throw new Unsupported("SOF" + (m - 0xC0) + " (progressive, lossless or arithmetic)");
                case 0xC4 -> readHuffman(seg, end);
                case 0xDB -> readQuant(seg, end);
                case 0xDD -> restartInterval = u16(data, seg);
                case 0xDA -> {
                    if (!frame) throw corrupt("scan before frame header");
                    pos = end;
                    readScan(seg);
                    scanned = true;
                    continue;
                }
                default -> {
                    // APPn, COM and others: skipped
                }
            }
            pos = end;
        }
        if (!scanned) throw corrupt("no scan");
    }

    /** Position after the next marker's code; -1 at end of data. */
    private int nextMarker() {
        while (pos + 1 < data.length) {
            if ((data[pos] & 0xFF) == 0xFF) {
                int m = data[pos + 1] & 0xFF;
                if (m != 0xFF && m != 0x00 && !(m >= 0xD0 && m <= 0xD7)) {
                    pos += 2;
                    return m;
                }
            }
            pos++;
        }
        return -1;
    }

    private void readFrame(int p) {
        if ((data[p] & 0xFF) != 8) throw new Unsupported((data[p] & 0xFF) + "-bit samples");
        height = u16(data, p + 1);
        width = u16(data, p + 3);
        ncomp = data[p + 5] & 0xFF;
        if (height == 0 || width == 0) throw corrupt("zero image size " + width + "x" + height);
        if ((long) width * height > ImageLimits.maxPixels()) { // before allocating, as PIL refuses a decompression bomb
            throw corrupt(width + "x" + height + " exceeds " + ImageLimits.maxPixels() + " pixels (-D"
                    + VireoProperties.MAX_IMAGE_PIXELS + ", PIL's decompression-bomb limit by default)");
        }
        if (ncomp != 1 && ncomp != 3) throw new Unsupported(ncomp + " components");
        compId = new int[ncomp];
        compH = new int[ncomp];
        compV = new int[ncomp];
        compQ = new int[ncomp];
        for (int c = 0; c < ncomp; c++) {
            compId[c] = data[p + 6 + 3 * c] & 0xFF;
            compH[c] = (data[p + 7 + 3 * c] & 0xFF) >> 4;
            compV[c] = data[p + 7 + 3 * c] & 0x0F;
            compQ[c] = data[p + 8 + 3 * c] & 0xFF;
            if (compH[c] < 1 || compH[c] > 4 || compV[c] < 1 || compV[c] > 4 || compQ[c] > 3) {
                throw corrupt("bad component " + c + " sampling " + compH[c] + "x" + compV[c] + " table " + compQ[c]);
            }
            hmax = Math.max(hmax, compH[c]);
            vmax = Math.max(vmax, compV[c]);
        }
        if (ncomp == 1) hmax = vmax = compH[0] = compV[0] = 1; // a single component is never subsampled
        mcusX = (width + 8 * hmax - 1) / (8 * hmax);
        mcusY = (height + 8 * vmax - 1) / (8 * vmax);
        planes = new byte[ncomp][];
        planeStride = new int[ncomp];
        compScale = new int[ncomp];
        for (int c = 0; c < ncomp; c++) {
            // libjpeg-turbo (jdmaster.c) scales subsampled chroma up through a larger IDCT rather than by upsampling
            int ssize = scale;
            while (ssize < 8 && (hmax * scale) % (compH[c] * ssize * 2) == 0 && (vmax * scale) % (compV[c] * ssize * 2) == 0) {
                ssize *= 2;
            }
            compScale[c] = ssize;
            planeStride[c] = mcusX * compH[c] * ssize;
            planes[c] = new byte[planeStride[c] * mcusY * compV[c] * ssize];
        }
    }

    private void readQuant(int p, int end) {
        while (p < end) {
            int pq = (data[p] & 0xFF) >> 4, tq = data[p] & 0x0F;
            if (tq > 3) throw corrupt("bad quantisation table id " + tq);
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                table[ZIGZAG[k]] = pq == 0 ? data[p + 1 + k] & 0xFF : u16(data, p + 1 + 2 * k);
            }
            quant[tq] = table;
            p += 1 + 64 * (pq == 0 ? 1 : 2);
        }
    }

    private void readHuffman(int p, int end) {
        while (p < end) {
            int tc = (data[p] & 0xFF) >> 4, th = data[p] & 0x0F;
            if (tc > 1 || th > 3) throw corrupt("bad Huffman table class " + tc + " id " + th);
            int[] counts = new int[16];
            int total = 0;
            for (int i = 0; i < 16; i++) total += counts[i] = data[p + 1 + i] & 0xFF;
            if (total > 256) throw corrupt("Huffman table with " + total + " symbols");
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) symbols[i] = data[p + 17 + i] & 0xFF;
            (tc == 0 ? dcTables : acTables)[th] = new JpegHuffman(counts, symbols, source);
            p += 17 + total;
        }
    }

    /** Decodes one scan's entropy-coded data, IDCT-ing each block straight into its component plane. */
    private void readScan(int p) {
        int ns = data[p] & 0xFF;
        int[] comps = new int[ns];
        JpegHuffman[] dc = new JpegHuffman[ns], ac = new JpegHuffman[ns];
        for (int i = 0; i < ns; i++) {
            int id = data[p + 1 + 2 * i] & 0xFF, tables = data[p + 2 + 2 * i] & 0xFF;
            int c = 0;
            while (c < ncomp && compId[c] != id) c++;
            if (c == ncomp) throw corrupt("scan names unknown component " + id);
            comps[i] = c;
            dc[i] = dcTables[tables >> 4];
            ac[i] = acTables[tables & 15];
            if (dc[i] == null || ac[i] == null || quant[compQ[c]] == null) throw corrupt("scan uses an undefined table");
        }
        in = new JpegBitReader(data, pos, source);
        int[] pred = new int[ns];
        int[] coef = new int[64], ws = new int[64];
        boolean single = ns == 1;
        int c0 = comps[0];
        int blocksX = single ? (ceilDiv(width * compH[c0], hmax) + 7) / 8 : mcusX;
        int blocksY = single ? (ceilDiv(height * compV[c0], vmax) + 7) / 8 : mcusY;
        int units = blocksX * blocksY, sinceRestart = 0;
        for (int u = 0; u < units; u++) {
            if (restartInterval > 0 && sinceRestart == restartInterval) {
                in.restart();
                Arrays.fill(pred, 0);
                sinceRestart = 0;
            }
            sinceRestart++;
            int ux = u % blocksX, uy = u / blocksX;
            for (int i = 0; i < ns; i++) {
                int c = comps[i];
                int bh = single ? 1 : compH[c], bv = single ? 1 : compV[c];
                for (int by = 0; by < bv; by++) {
                    for (int bx = 0; bx < bh; bx++) {
                        pred[i] = decodeBlock(dc[i], ac[i], pred[i], coef, compScale[c] > 1);
                        int cs = compScale[c];
                        int col = (ux * bh + bx) * cs, row = (uy * bv + by) * cs;
                        int off = row * planeStride[c] + col;
                        int[] q = quant[compQ[c]];
                        switch (cs) {
                            case 8 -> JpegIdct.idct8(coef, q, ws, planes[c], off, planeStride[c]);
                            case 4 -> JpegIdct.idct4(coef, q, ws, planes[c], off, planeStride[c]);
                            case 2 -> JpegIdct.idct2(coef, q, ws, planes[c], off, planeStride[c]);
                            default -> JpegIdct.idct1(coef, q, planes[c], off);
                        }
                    }
                }
            }
        }
        in.checkNotTruncated();
        pos = in.markerPosition();
    }

    /**
     * Huffman-decodes one block into {@code coef} (natural order, cleared first); returns the new DC predictor. AC
     * values are skipped (still decoded) when {@code needAc} is false: a 1x1 IDCT reads only DC.
     */
    private int decodeBlock(JpegHuffman dc, JpegHuffman ac, int pred, int[] coef, boolean needAc) {
        Arrays.fill(coef, 0);
        int t = in.decodeSymbol(dc);
        int value = pred + (t == 0 ? 0 : JpegBitReader.extend(in.receive(t), t));
        coef[0] = value;
        int k = 1;
        while (k < 64) {
            int rs = in.decodeSymbol(ac);
            int r = rs >> 4, s = rs & 15;
            if (s != 0) {
                k += r;
                int v = JpegBitReader.extend(in.receive(s), s);
                if (needAc) coef[ZIGZAG[k]] = v; // ZIGZAG is padded past 63 for corrupt run lengths
                k++;
            } else {
                if (r != 15) break;
                k += 16;
            }
        }
        return value;
    }

    private RgbImage toRgb() {
        if (planes[0] == null) throw corrupt("no frame");
        int denom = 8 / scale;
        int outW = ceilDiv(width, denom), outH = ceilDiv(height, denom);
        if (ncomp == 1) return grey(planes[0], planeStride[0], outW, outH);
        byte[][] full = new byte[3][];
        boolean fancy = scale > 1; // libjpeg: fancy upsampling needs DCT output larger than 1x1
        for (int c = 0; c < 3; c++) {
            int hIn = compH[c] * compScale[c], vIn = compV[c] * compScale[c];
            int hOut = hmax * scale, vOut = vmax * scale;
            if (hOut % hIn != 0 || vOut % vIn != 0) throw new Unsupported("fractional sampling factors");
            int fh = hOut / hIn, fv = vOut / vIn;
            if (fh == 1 && fv == 1) {
                full[c] = crop(planes[c], planeStride[c], outW, outH);
            } else {
                int cw = ceilDiv(width * hIn, hmax * 8), ch = ceilDiv(height * vIn, vmax * 8);
                full[c] = JpegUpsample.upsample(planes[c], cw, ch, planeStride[c], fh, fv, outW, outH, fancy);
            }
        }
        JpegMarkers markers = JpegMarkers.parse(data);
        byte[] out = new byte[outW * outH * 3];
        for (int i = 0, o = 0; i < outW * outH; i++, o += 3) {
            out[o] = full[0][i];
            out[o + 1] = full[1][i];
            out[o + 2] = full[2][i];
        }
        return markers.isRgb() ? new RgbImage(outW, outH, out) : JpegColor.ycbcrToRgbInPlace(new RgbImage(outW, outH, out));
    }

    private static byte[] crop(byte[] plane, int stride, int w, int h) {
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) System.arraycopy(plane, y * stride, out, y * w, w);
        return out;
    }

    private static RgbImage grey(byte[] plane, int stride, int w, int h) {
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                byte v = plane[y * stride + x];
                int o = (y * w + x) * 3;
                out[o] = out[o + 1] = out[o + 2] = v;
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private ImageDecodeException corrupt(String why) {
        return new ImageDecodeException(source, why);
    }
}
