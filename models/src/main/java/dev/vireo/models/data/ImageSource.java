package dev.vireo.models.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the pixels of one sample come from, without decoding them: an encoded file, an encoded
 * byte range inside a larger file (a member of a tar shard), encoded bytes in memory, or raw 8-bit
 * pixels (IDX digits, generated scenes). Decoding belongs to {@code dev.vireo.models.image}.
 */
public sealed interface ImageSource {

    /** A short name for messages and warnings: the file, the tar member, or the sample id. */
    String name();

    /** An encoded image file (PNG, JPEG, ...) on disk. */
    record FileImage(Path path) implements ImageSource {
        public String name() {
            return path.toString();
        }
    }

    /** An encoded image stored as {@code length} bytes at {@code offset} inside {@code file}. */
    record FileSlice(Path file, long offset, long length, String member) implements ImageSource {
        public FileSlice {
            if (offset < 0 || length < 0 || length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("FileSlice " + file + "!" + member + ": bad range offset=" + offset + " length=" + length);
            }
        }

        public String name() {
            return file + "!" + member;
        }
    }

    /** An encoded image held in memory (a member of a compressed shard, a download). */
    record EncodedBytes(String name, byte[] bytes) implements ImageSource {}

    /**
     * Raw 8-bit pixels, row-major, {@code channels} interleaved (1 = grey, 3 = RGB), starting at
     * {@code offset} in {@code data}; the array may be shared by many samples.
     */
    record RawPixels(String name, byte[] data, int offset, int width, int height, int channels) implements ImageSource {
        public RawPixels {
            if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
                throw new IllegalArgumentException("RawPixels " + name + ": bad geometry " + width + "x" + height + "x" + channels);
            }
            if (offset < 0 || (long) offset + (long) width * height * channels > data.length) {
                throw new IllegalArgumentException("RawPixels " + name + ": " + width + "x" + height + "x" + channels
                        + " at offset " + offset + " runs past the end of a " + data.length + "-byte array");
            }
        }

        /** The value of channel {@code c} at ({@code x}, {@code y}), 0..255. */
        public int get(int x, int y, int c) {
            return data[offset + (y * width + x) * channels + c] & 0xFF;
        }
    }

    /** The encoded bytes of a file, slice or in-memory image; raw pixels have no encoding. */
    default byte[] readEncoded() throws IOException {
        return switch (this) {
            case FileImage f -> Files.readAllBytes(f.path());
            case EncodedBytes b -> b.bytes();
            case FileSlice s -> readSlice(s);
            case RawPixels r -> throw new IOException("image " + r.name() + " is raw pixels, it has no encoded form");
        };
    }

    /** A stream over the encoded bytes, for decoders that read streams. */
    default InputStream openEncoded() throws IOException {
        return switch (this) {
            case FileImage f -> Files.newInputStream(f.path());
            default -> new ByteArrayInputStream(readEncoded());
        };
    }

    private static byte[] readSlice(FileSlice s) throws IOException {
        try (FileChannel channel = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            if (s.offset() + s.length() > channel.size()) {
                throw new IOException("image " + s.name() + ": bytes " + s.offset() + ".." + (s.offset() + s.length())
                        + " lie past the end of the " + channel.size() + "-byte file");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) s.length());
            long position = s.offset();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) throw new IOException("image " + s.name() + ": file ended early");
                position += n;
            }
            return buffer.array();
        }
    }
}
