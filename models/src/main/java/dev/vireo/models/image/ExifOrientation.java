package dev.vireo.models.image;

/**
 * EXIF orientation (tag 0x0112, values 1..8) read from a JPEG's APP1 "Exif" segment (a PNG's eXIf chunk: see
 * {@link PngChunks}), and the transpose that undoes it,
 * exactly as PIL's {@code ImageOps.exif_transpose}. This parser reads only IFD0; it is not a general EXIF reader.
 */
public final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation of a JPEG file (1 = upright) or 1 when it has no Exif segment or no orientation tag. */
    public static int read(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) return 1;
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) return 1;
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte before a marker
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) return 1; // start of scan or end: no more metadata
            int length = u16(jpeg, pos + 2, true);
            if (length < 2 || pos + 2 + length > jpeg.length) return 1;
            if (marker == 0xE1 && length >= 8 && isExifHeader(jpeg, pos + 4)) {
                int value = fromTiff(jpeg, pos + 10, pos + 2 + length);
                if (value != 1) return value;
            }
            pos += 2 + length;
        }
        return 1;
    }

    private static boolean isExifHeader(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    /** Orientation from the TIFF structure at [start, end): byte order, IFD0 offset, then the 12-byte entries (1 if absent or malformed). */
    static int fromTiff(byte[] b, int start, int end) {
        if (start + 8 > end) return 1;
        boolean bigEndian;
        if (b[start] == 'M' && b[start + 1] == 'M') bigEndian = true;
        else if (b[start] == 'I' && b[start + 1] == 'I') bigEndian = false;
        else return 1;
        long ifd = u32(b, start + 4, bigEndian);
        if (ifd < 8 || start + ifd + 2 > end) return 1;
        int at = (int) (start + ifd);
        int count = u16(b, at, bigEndian);
        for (int i = 0; i < count; i++) {
            int entry = at + 2 + i * 12;
            if (entry + 12 > end) return 1;
            if (u16(b, entry, bigEndian) != TAG_ORIENTATION) continue;
            int type = u16(b, entry + 2, bigEndian);
            int value = type == 3 ? u16(b, entry + 8, bigEndian) : type == 4 ? (int) u32(b, entry + 8, bigEndian) : 1;
            return value >= 1 && value <= 8 ? value : 1;
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean bigEndian) {
        int x = b[at] & 0xFF, y = b[at + 1] & 0xFF;
        return bigEndian ? (x << 8) | y : (y << 8) | x;
    }

    private static long u32(byte[] b, int at, boolean bigEndian) {
        long hi = u16(b, bigEndian ? at : at + 2, bigEndian), lo = u16(b, bigEndian ? at + 2 : at, bigEndian);
        return (hi << 16) | lo;
    }

    /**
     * The upright image for an orientation value, as {@code ImageOps.exif_transpose}: 2 mirror, 3 rotate 180, 4 flip,
     * 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise.
     */
    public static RgbImage apply(RgbImage image, int orientation) {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("ExifOrientation.apply: orientation must be 1..8, got " + orientation);
        }
        if (orientation == 1) return image;
        int w = image.width(), h = image.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // (sx, sy) is the source pixel shown at output (x, y)
                int sx, sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                int s = (sy * w + sx) * 3, d = (y * ow + x) * 3;
                out[d] = src[s];
                out[d + 1] = src[s + 1];
                out[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
