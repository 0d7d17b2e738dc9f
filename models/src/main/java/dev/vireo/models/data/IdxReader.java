package dev.vireo.models.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (LeCun's MNIST format, also Fashion-MNIST), plain or gzipped: big-endian magic
 * {@code 0x00000803} for unsigned-byte images (count, rows, columns) and {@code 0x00000801} for
 * labels (count). The payload length must match the header exactly, and image and label counts
 * must agree, so a truncated download is caught here and not as a strange accuracy later.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** {@code count} grey images of {@code rows}×{@code cols}, concatenated row-major in {@code pixels}. */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {
        /** Image {@code i} as raw pixels sharing this array. */
        public ImageSource.RawPixels image(int i) {
            return new ImageSource.RawPixels(file.getFileName() + "[" + i + "]", pixels, i * rows * cols, cols, rows, 1);
        }
    }

    private IdxReader() {}

    public static Images readImages(Path file) throws IOException {
        ByteBuffer data = readAll(file);
        header(data, file, IMAGES_MAGIC, "ubyte images", 16);
        int count = data.getInt(4);
        int rows = data.getInt(8);
        int cols = data.getInt(12);
        if (count < 0 || rows <= 0 || cols <= 0) throw new DatasetFormatException(file, "header", "bad dimensions " + count + "x" + rows + "x" + cols);
        long expected = 16L + (long) count * rows * cols;
        if (data.limit() != expected) {
            throw new DatasetFormatException(file, "payload", "header says " + count + " images of " + rows + "x" + cols + " (" + expected
                    + " bytes) but the file holds " + data.limit() + " bytes");
        }
        byte[] pixels = new byte[data.limit() - 16];
        data.get(16, pixels);
        return new Images(file, count, rows, cols, pixels);
    }

    /** The labels, each 0..255. */
    public static int[] readLabels(Path file) throws IOException {
        ByteBuffer data = readAll(file);
        header(data, file, LABELS_MAGIC, "ubyte labels", 8);
        int count = data.getInt(4);
        if (count < 0 || data.limit() != 8L + count) {
            throw new DatasetFormatException(file, "payload", "header says " + count + " labels but the file holds " + (data.limit() - 8) + " label bytes");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = data.get(8 + i) & 0xFF;
        return labels;
    }

    /** Images paired with labels; every label must index {@code classNames}. */
    public static List<LabelledImage> read(Path imagesFile, Path labelsFile, List<String> classNames) throws IOException {
        Images images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new DatasetFormatException(labelsFile, "header", labels.length + " labels for " + images.count() + " images in " + imagesFile);
        }
        List<LabelledImage> out = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classNames.size()) {
                throw new DatasetFormatException(labelsFile, "label " + i, "value " + labels[i] + " but only " + classNames.size() + " classes");
            }
            out.add(new LabelledImage(Integer.toString(i), images.image(i), labels[i], classNames.get(labels[i])));
        }
        return out;
    }

    /** Checks the magic number first (the likelier mistake is the wrong file), then the header length. */
    private static void header(ByteBuffer data, Path file, int magic, String kind, int length) throws DatasetFormatException {
        if (data.limit() < 4) throw new DatasetFormatException(file, "header", "only " + data.limit() + " bytes, not an IDX file");
        if (data.getInt(0) != magic) {
            throw new DatasetFormatException(file, "header", String.format("magic 0x%08X, expected 0x%08X (%s)", data.getInt(0), magic, kind));
        }
        if (data.limit() < length) throw new DatasetFormatException(file, "header", "only " + data.limit() + " bytes, the " + kind + " header needs " + length);
    }

    /** The whole file, gunzipped when it starts with the gzip magic bytes. */
    private static ByteBuffer readAll(Path file) throws IOException {
        byte[] bytes;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                bytes = in.readAllBytes();
            }
        } catch (EOFException | ZipException e) {
            throw new DatasetFormatException(file, "gzip stream", "corrupt or truncated: " + e.getMessage(), e);
        }
        return ByteBuffer.wrap(bytes);
    }
}
