package dev.vireo.models.image;

/**
 * The bit reader of a JPEG scan's entropy-coded data (T.81 F.2.2): a 64-bit buffer filled a byte at a time, 0xFF00
 * unstuffed, zeros fed once a marker or the end of the file is reached (as libjpeg does), Huffman symbols decoded by
 * 9-bit lookahead with the canonical-code fallback. Counts the zeros it feeds so truncation can be reported.
 */
final class JpegBitReader {
    private final byte[] data;
    private final String source;
    private int pos;
    private long bits;
    private int nbits;
    private boolean hitMarker;
    /** Zero bytes fed after the entropy data ran out; consuming any of them means the file is truncated. */
    private int zerosFed;

    JpegBitReader(byte[] data, int pos, String source) {
        this.data = data;
        this.pos = pos;
        this.source = source;
    }

    private void reset() {
        bits = 0;
        nbits = 0;
        hitMarker = false;
        zerosFed = 0;
    }

    /** libjpeg warns "premature end of data segment" and pads with zeros; PIL then refuses the file, and so do we. */
    void checkNotTruncated() {
        if ((long) zerosFed * 8 > nbits) throw new ImageDecodeException(source, "file is truncated (entropy-coded data ends early)");
    }

    private void fill() {
        while (nbits <= 56) {
            int b = 0;
            if (hitMarker || pos >= data.length) zerosFed++;
            if (!hitMarker && pos < data.length) {
                b = data[pos] & 0xFF;
                if (b == 0xFF) {
                    int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : 0xD9;
                    if (next == 0x00) {
                        pos += 2;
                    } else {
                        hitMarker = true; // a marker ends the entropy data: libjpeg feeds zeros from here
                        zerosFed++;
                        b = 0;
                    }
                } else {
                    pos++;
                }
            }
            bits |= (long) b << (56 - nbits);
            nbits += 8;
        }
    }

    int decodeSymbol(JpegHuffman h) {
        if (nbits < 16) fill();
        int look = (int) (bits >>> (64 - JpegHuffman.LOOKAHEAD));
        int f = h.fast[look];
        if (f != 0) {
            int len = f >> 8;
            bits <<= len;
            nbits -= len;
            return f & 0xFF;
        }
        int len = JpegHuffman.LOOKAHEAD + 1;
        int code = (int) (bits >>> (64 - len));
        while (code > h.maxCode[len]) {
            len++;
            if (len > 16) throw new ImageDecodeException(source, "bad Huffman code");
            code = (int) (bits >>> (64 - len));
        }
        bits <<= len;
        nbits -= len;
        int idx = h.valPtr[len] + code - h.minCode[len];
        if (idx >= h.symbols.length) throw new ImageDecodeException(source, "bad Huffman code");
        return h.symbols[idx];
    }

    int receive(int n) {
        if (nbits < n) fill();
        int v = (int) (bits >>> (64 - n));
        bits <<= n;
        nbits -= n;
        return v;
    }

    /** T.81 EXTEND: an n-bit value below 2^(n-1) is negative. */
    static int extend(int v, int n) {
        return v < (1 << (n - 1)) ? v - (1 << n) + 1 : v;
    }

    /** Expects an RSTn marker: drops buffered bits and resumes after it. */
    void restart() {
        checkNotTruncated();
        pos = markerPosition();
        if (pos + 1 < data.length && (data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xF8) == 0xD0) pos += 2;
        reset();
    }

    /** Byte position of the first marker at or after the bytes read so far (where the scan's data ends). */
    int markerPosition() {
        int p = pos;
        while (p + 1 < data.length && !((data[p] & 0xFF) == 0xFF && data[p + 1] != 0 && (data[p + 1] & 0xFF) != 0xFF)) p++;
        return p;
    }
}
