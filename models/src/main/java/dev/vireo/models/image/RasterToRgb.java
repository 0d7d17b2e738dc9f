package dev.vireo.models.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts a decoded raster to 8-bit RGB with the semantics of PIL's {@code Image.convert("RGB")}: grey is replicated,
 * alpha is dropped (not composited), palettes are looked up (transparency ignored), sub-byte grey is scaled to 0..255,
 * and 16-bit samples keep their high byte. JPEG rasters go through {@link JpegColor}. Raster samples are read directly, never
 * through {@link BufferedImage#getRGB}, which would apply colour-space conversions PIL does not (e.g. linear grey).
 */
final class RasterToRgb {
    private RasterToRgb() {
    }

    /** RGB pixels of a decoded image: palette, grey (+alpha) or colour (+alpha) rasters. */
    static RgbImage convert(BufferedImage image, String source) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int w = raster.getWidth(), h = raster.getHeight();
        if (cm instanceof IndexColorModel icm) return fromPalette(raster, icm);
        int bands = raster.getNumBands();
        int[] bits = raster.getSampleModel().getSampleSize();
        for (int b : bits) {
            if (b > 16) throw new ImageDecodeException(source, "unsupported " + b + "-bit samples (" + bands + " bands)");
        }
        if (bands > 2 && bands != 3 && !cm.hasAlpha()) {
            throw new ImageDecodeException(source, "unsupported colour model with " + bands + " bands: " + cm);
        }
        int[] row = new int[w * bands];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                if (bands <= 2) { // grey or grey + alpha: alpha dropped
                    int v = to8(row[x * bands], bits[0]);
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                } else { // RGB or RGBA: alpha dropped
                    out[o] = (byte) to8(row[x * bands], bits[0]);
                    out[o + 1] = (byte) to8(row[x * bands + 1], bits[1]);
                    out[o + 2] = (byte) to8(row[x * bands + 2], bits[2]);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * 8-bit sample from a {@code bits}-bit one: sub-byte grey is stretched as PIL's "L;1/L;2/L;4" unpackers do
     * (v * 255 / max, also PIL's rule for 5- and 6-bit BMP channels); 16-bit keeps its high byte as PIL's "RGB;16B" unpackers do. PIL opens
     * 16-bit grey as mode "I" and clips it to 255 on convert("RGB"); we keep the high byte instead (a deliberate
     * deviation: clipping whitens nearly every pixel).
     */
    private static int to8(int v, int bits) {
        if (bits == 8) return v;
        if (bits == 16) return v >>> 8;
        return v * 255 / ((1 << bits) - 1);
    }

    private static RgbImage fromPalette(Raster raster, IndexColorModel icm) {
        int w = raster.getWidth(), h = raster.getHeight();
        int size = icm.getMapSize();
        byte[] r = new byte[size], g = new byte[size], b = new byte[size];
        icm.getReds(r);
        icm.getGreens(g);
        icm.getBlues(b);
        int[] row = new int[w];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = row[x], o = (y * w + x) * 3;
                if (i < size) { // PIL pads short palettes with black
                    out[o] = r[i];
                    out[o + 1] = g[i];
                    out[o + 2] = b[i];
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
