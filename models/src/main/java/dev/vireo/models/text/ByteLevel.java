/*
 * GPT-2's reversible byte-to-unicode table (bytes_to_unicode in OpenAI's simple_tokenizer):
 * the 188 printable Latin-1 bytes map to themselves, the other 68 to U+0100.. in byte order, so
 * every UTF-8 byte becomes one visible character a BPE vocabulary can name.
 */
package dev.vireo.models.text;

import java.util.Arrays;

public final class ByteLevel {

    /** byte value → its character, and the order OpenAI lists the 256 byte symbols in. */
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] ORDER = new int[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        int k = 0;
        for (int b = '!'; b <= '~'; b++) {
            ORDER[k++] = b;
        }
        for (int b = 0xa1; b <= 0xac; b++) {
            ORDER[k++] = b;
        }
        for (int b = 0xae; b <= 0xff; b++) {
            ORDER[k++] = b;
        }
        boolean[] printable = new boolean[256];
        for (int i = 0; i < k; i++) {
            printable[ORDER[i]] = true;
            BYTE_TO_CHAR[ORDER[i]] = (char) ORDER[i];
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                ORDER[k++] = b;
                BYTE_TO_CHAR[b] = (char) (256 + extra++);
            }
        }
        Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteLevel() {}

    /** The character that stands for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xff];
    }

    /** The byte a character stands for, or -1 when it is not one of the 256 byte characters. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte at position {@code i} of OpenAI's list (its vocabulary ids 0..255 follow this order). */
    public static int byteAt(int i) {
        return ORDER[i];
    }

    /** A string of byte characters, one per byte. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
        }
        return new String(out);
    }
}
