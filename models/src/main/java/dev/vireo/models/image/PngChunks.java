package dev.vireo.models.image;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Walks a PNG's chunks and checks each one's CRC, as PIL does while reading: {@code javax.imageio} does not,
 * and decodes a file with a corrupted palette or header into wrong pixels without a word. Stops at IEND
 * (trailing bytes are ignored, as PIL ignores them). Reads the EXIF orientation of an {@code eXIf} chunk on
 * the way, which {@code javax.imageio} ignores and PIL applies.
 */
final class PngChunks {
    private static final int SIGNATURE = 8;

    private PngChunks() {}

    /**
     * Refuses, naming the file, a PNG whose chunk structure is cut short or whose chunk CRC does not match;
     * returns the EXIF orientation of its {@code eXIf} chunk (1 when there is none).
     */
    /** A chunk type as the message shows it: its letters, or its bytes in hex when a damaged file made them anything else. */
    private static String printable(String type) {
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c < 0x21 || c > 0x7E) return "0x" + java.util.HexFormat.of().formatHex(type.getBytes(StandardCharsets.ISO_8859_1));
        }
        return type;
    }

    static int verify(byte[] png, String source) {
        CRC32 crc = new CRC32();
        int orientation = 1;
        int at = SIGNATURE;
        while (true) {
            if (at + 8 > png.length) throw new ImageDecodeException(source, "png is truncated before its IEND chunk");
            long length = readInt(png, at) & 0xFFFFFFFFL;
            String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            String shown = printable(type);
            if (length > png.length - at - 12L) {
                throw new ImageDecodeException(source, "png chunk " + shown + " at byte " + at + " claims " + length
                        + " bytes, past the end of the file (truncated or corrupt)");
            }
            int data = (int) length;
            crc.reset();
            crc.update(png, at + 4, 4 + data); // type and data
            long stored = readInt(png, at + 8 + data) & 0xFFFFFFFFL;
            if (crc.getValue() != stored) {
                throw new ImageDecodeException(source, "png chunk " + shown + " at byte " + at + " has a bad CRC (the file is"
                        + " corrupt; PIL refuses it too)");
            }
            if (type.equals("IEND")) return orientation;
            if (type.equals("eXIf")) orientation = ExifOrientation.fromTiff(png, at + 8, at + 8 + data);
            at += 12 + data;
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
