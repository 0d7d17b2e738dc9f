package dev.vireo.models.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Test helpers that write small files in dataset formats: PNGs through javax.imageio, ustar tar
 * archives, IDX files. The decoding used here is javax.imageio, standing in for the image package.
 */
final class TestFiles {
    private TestFiles() {}

    /** A w×h PNG whose pixel (x, y) is (seed + x, seed + y, seed) mod 256. */
    static byte[] png(int w, int h, int seed) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) image.setRGB(x, y, ((seed + x) & 255) << 16 | ((seed + y) & 255) << 8 | (seed & 255));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Decodes encoded bytes with javax.imageio; a file it cannot read is an IOException. */
    static BufferedImage decode(byte[] bytes, String name) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image == null) throw new IOException("not a decodable image: " + name);
        return image;
    }

    /** A minimal ustar archive writer. */
    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar add(String name, byte[] data) throws IOException {
            return add(name, data, '0');
        }

        Tar add(String name, String text) throws IOException {
            return add(name, text.getBytes(StandardCharsets.UTF_8));
        }

        Tar add(String name, byte[] data, char type) throws IOException {
            byte[] header = new byte[512];
            put(header, 0, name, 100);
            put(header, 100, "0000644", 8);
            put(header, 108, "0000000", 8);
            put(header, 116, "0000000", 8);
            put(header, 124, String.format("%011o", data.length), 12);
            put(header, 136, "00000000000", 12);
            header[156] = (byte) type;
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            for (int i = 148; i < 156; i++) header[i] = ' ';
            long sum = 0;
            for (byte b : header) sum += b & 0xFF;
            put(header, 148, String.format("%06o", sum), 7);
            out.write(header);
            out.write(data);
            out.write(new byte[(512 - data.length % 512) % 512]);
            return this;
        }

        byte[] bytes() {
            byte[] body = out.toByteArray();
            byte[] all = new byte[body.length + 1024];
            System.arraycopy(body, 0, all, 0, body.length);
            return all;
        }

        Path write(Path file) throws IOException {
            Files.write(file, bytes());
            return file;
        }

        Path writeGzip(Path file) throws IOException {
            try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
                gz.write(bytes());
            }
            return file;
        }

        private static void put(byte[] header, int at, String value, int max) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > max) throw new IllegalArgumentException("tar field too long: " + value);
            System.arraycopy(bytes, 0, header, at, bytes.length);
        }
    }

    /** An IDX images file: magic 0x803, count, rows, cols, then pixels (i + p) mod 256. */
    static byte[] idxImages(int count, int rows, int cols) {
        byte[] data = new byte[16 + count * rows * cols];
        putInt(data, 0, 0x803);
        putInt(data, 4, count);
        putInt(data, 8, rows);
        putInt(data, 12, cols);
        for (int i = 0; i < count * rows * cols; i++) data[16 + i] = (byte) (i / (rows * cols) * 10 + i % (rows * cols));
        return data;
    }

    /** An IDX labels file: magic 0x801, count, then the labels. */
    static byte[] idxLabels(int... labels) {
        byte[] data = new byte[8 + labels.length];
        putInt(data, 0, 0x801);
        putInt(data, 4, labels.length);
        for (int i = 0; i < labels.length; i++) data[8 + i] = (byte) labels[i];
        return data;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static void putInt(byte[] data, int at, int value) {
        data[at] = (byte) (value >>> 24);
        data[at + 1] = (byte) (value >>> 16);
        data[at + 2] = (byte) (value >>> 8);
        data[at + 3] = (byte) value;
    }
}
