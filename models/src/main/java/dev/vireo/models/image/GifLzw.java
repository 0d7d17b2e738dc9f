package dev.vireo.models.image;

/**
 * Checks a GIF's first frame as PIL's decoder reads it, before {@code javax.imageio} decodes it:
 * javax.imageio fills whatever its LZW decoder could not read with stale pixels and returns without a
 * word, where PIL raises "broken data stream" for a code past the table and "image file is truncated"
 * for data that ends before the frame's pixels. Walks the blocks to the first image descriptor, then
 * runs the LZW code stream counting the pixels it would produce; no pixel is stored.
 */
final class GifLzw {
    private static final int MAX_CODES = 4096;

    private GifLzw() {}

    /** Refuses, naming the file, a GIF whose first frame has a broken or truncated LZW stream. */
    static void verifyFirstFrame(byte[] gif, String source) {
        Reader r = new Reader(gif, source);
        r.skip(6);                                  // GIF87a / GIF89a
        r.skip(4);                                  // logical screen width, height
        int packed = r.u8();
        r.skip(2);                                  // background colour, aspect
        if ((packed & 0x80) != 0) r.skip(3 << ((packed & 7) + 1)); // global colour table
        while (true) {
            int block = r.u8();
            if (block == 0x21) {                    // extension: label, then sub-blocks
                r.u8();
                r.skipSubBlocks();
            } else if (block == 0x2C) {
                r.skip(4);                          // left, top
                int w = r.u16(), h = r.u16();
                int local = r.u8();
                if ((local & 0x80) != 0) r.skip(3 << ((local & 7) + 1));
                checkLzw(r, (long) w * h);
                return;
            } else {
                throw new ImageDecodeException(source, "gif has no image before byte " + (r.at - 1) + " (block 0x"
                        + Integer.toHexString(block) + ")");
            }
        }
    }

    /** Runs the code stream of one frame: every code must be in the table, and it must yield {@code pixels} before it ends. */
    private static void checkLzw(Reader r, long pixels) {
        int minCodeSize = r.u8();
        if (minCodeSize < 1 || minCodeSize > 11) throw r.broken("LZW minimum code size " + minCodeSize);
        int clear = 1 << minCodeSize, end = clear + 1;
        int[] length = new int[MAX_CODES];           // pixels each table entry expands to
        for (int i = 0; i < clear; i++) length[i] = 1;
        int size = minCodeSize + 1, next = end + 1, previous = -1;
        long produced = 0;
        int bits = 0, bitCount = 0;
        int blockLeft = r.u8();
        while (true) {
            while (bitCount < size) {                // refill from the sub-blocks
                if (blockLeft == 0) {
                    if (produced >= pixels) return;  // an encoder may omit the end code once the frame is full
                    throw new ImageDecodeException(r.source, "gif image file is truncated: its data ends after " + produced
                            + " of " + pixels + " pixels");
                }
                bits |= r.u8() << bitCount;
                bitCount += 8;
                if (--blockLeft == 0) blockLeft = r.u8();
            }
            int code = bits & ((1 << size) - 1);
            bits >>>= size;
            bitCount -= size;
            if (code == clear) {
                size = minCodeSize + 1;
                next = end + 1;
                previous = -1;
                continue;
            }
            if (code == end) {
                if (produced < pixels) {
                    throw new ImageDecodeException(r.source, "gif image file is truncated: its data ends after " + produced
                            + " of " + pixels + " pixels");
                }
                return;
            }
            if (previous < 0) {
                if (code >= clear) throw r.broken("code " + code + " before any entry");
                produced += 1;
            } else if (code < next || code == next && next < MAX_CODES) {
                int n = code < next ? length[code] : length[previous] + 1;
                produced += n;
                if (next < MAX_CODES) length[next++] = length[previous] + 1;
            } else {
                throw r.broken("code " + code + " past the table's " + next + " entries");
            }
            previous = code;
            if (next == 1 << size && size < 12) size++;
        }
    }

    /** A bounded cursor over the file: reading past the end is the truncated-file error. */
    private static final class Reader {
        final byte[] b;
        final String source;
        int at;

        Reader(byte[] b, String source) {
            this.b = b;
            this.source = source;
        }

        int u8() {
            if (at >= b.length) throw new ImageDecodeException(source, "gif image file is truncated at byte " + at);
            return b[at++] & 0xFF;
        }

        int u16() {
            return u8() | u8() << 8;
        }

        void skip(int n) {
            if (n > b.length - at) throw new ImageDecodeException(source, "gif image file is truncated at byte " + b.length);
            at += n;
        }

        void skipSubBlocks() {
            for (int n = u8(); n != 0; n = u8()) skip(n);
        }

        ImageDecodeException broken(String what) {
            return new ImageDecodeException(source, "gif has a broken data stream (" + what + ", near byte " + at + "); PIL refuses it too");
        }
    }
}
