package dev.vireo.models.image;

/**
 * One JPEG Huffman table (ITU T.81 Annex C): canonical codes from the DHT counts and symbols, a 9-bit lookahead table
 * for the common short codes and the maxcode/valptr arrays of Figure F.16 for the rest.
 */
final class JpegHuffman {
    static final int LOOKAHEAD = 9;
    /** Per 9-bit prefix: (code length << 8) | symbol, or 0 when the code is longer than 9 bits. */
    final int[] fast = new int[1 << LOOKAHEAD];
    final int[] maxCode = new int[18];
    final int[] valPtr = new int[17];
    final int[] minCode = new int[17];
    final int[] symbols;

    /** {@code counts[l]} codes of length l + 1 (l = 0..15), then their symbols in order. */
    JpegHuffman(int[] counts, int[] symbols, String source) {
        this.symbols = symbols;
        int code = 0, k = 0;
        for (int len = 1; len <= 16; len++) {
            valPtr[len] = k;
            minCode[len] = code;
            code += counts[len - 1];
            k += counts[len - 1];
            if (counts[len - 1] > 0 && code - 1 >= (1 << len)) {
                throw new ImageDecodeException(source, "bad Huffman table: too many codes of length " + len);
            }
            maxCode[len] = counts[len - 1] > 0 ? code - 1 : -1;
            code <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE; // sentinel: ends the slow search
        for (int len = 1, s = 0; len <= LOOKAHEAD; len++) {
            for (int i = 0; i < counts[len - 1]; i++, s++) {
                int c = minCode[len] + i;
                int shift = LOOKAHEAD - len;
                for (int fill = 0; fill < (1 << shift); fill++) fast[(c << shift) | fill] = (len << 8) | symbols[s];
            }
        }
    }
}
