package dev.vireo.models.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

import static dev.vireo.models.image.PreprocessParityTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoder behaviour beyond the PIL parity fixtures: errors that name the file, 16-bit grey, EXIF parsing. */
class ImageDecoderTest {

    static byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(ROOT.resolve("inputs").resolve(name));
    }

    @Test
    void corruptJpegNamesTheFile() {
        Path bad = ROOT.resolve("inputs").resolve("truncated.jpg");
        assertThatThrownBy(() -> ImageDecoder.decode(bad)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("truncated.jpg")
                .satisfies(e -> assertThat(((ImageDecodeException) e).source()).endsWith("truncated.jpg"));
    }

    @Test
    void truncatedJpegAndPngFailInsteadOfDecodingGrey() throws Exception {
        byte[] jpeg = bytes("dog.jpg");
        assertThatThrownBy(() -> ImageDecoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2), "half-dog.jpg"))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("half-dog.jpg").hasMessageContaining("truncated");
        byte[] png = bytes("chelsea.png");
        assertThatThrownBy(() -> ImageDecoder.decode(Arrays.copyOf(png, png.length / 2), "half-chelsea.png"))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("half-chelsea.png");
    }

    @Test
    void unknownBytesAndMissingFilesAreReported() {
        assertThatThrownBy(() -> ImageDecoder.decode("hello, world".getBytes(), "notes.txt"))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("notes.txt").hasMessageContaining("not a JPEG");
        assertThatThrownBy(() -> ImageDecoder.decode(Path.of("/no/such/image.png")))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("/no/such/image.png");
    }

    @Test
    void sixteenBitGreyKeepsTheHighByte() throws Exception {
        int w = 5, h = 3;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            raw.write(0); // filter: none
            for (int x = 0; x < w; x++) {
                int v = (y * w + x) * 4000 + 7;
                raw.write(v >> 8);
                raw.write(v & 0xFF);
            }
        }
        RgbImage img = ImageDecoder.decode(png(w, h, 16, 0, raw.toByteArray()), "grey16.png");
        for (int i = 0; i < w * h; i++) {
            int expected = (i * 4000 + 7) >> 8;
            assertThat(img.get(i % w, i / w, 0)).isEqualTo(expected);
            assertThat(img.get(i % w, i / w, 2)).isEqualTo(expected);
        }
    }

    @Test
    void exifOrientationIsReadFromTheApp1Segment() throws Exception {
        for (int o = 1; o <= 8; o++) assertThat(ExifOrientation.read(bytes("exif_" + o + ".jpg"))).isEqualTo(o);
        assertThat(ExifOrientation.read(bytes("rocket.jpg"))).isEqualTo(1);
        assertThat(ExifOrientation.read(new byte[]{(byte) 0xFF, (byte) 0xD8})).isEqualTo(1);
        RgbImage upright = ImageDecoder.decode(ROOT.resolve("inputs").resolve("exif_1.jpg"));
        RgbImage rotated = ImageDecoder.decode(ROOT.resolve("inputs").resolve("exif_6.jpg"));
        assertThat(rotated.width()).isEqualTo(upright.height());
        assertThat(rotated.height()).isEqualTo(upright.width());
    }

    @Test
    void orientationTransformsComposeLikeTheDihedralGroup() {
        RgbImage img = PilResample.resize(ImageDecoder.decode(ROOT.resolve("inputs").resolve("chelsea.png")), 7, 5,
                ResampleFilter.BILINEAR);
        RgbImage r90 = ExifOrientation.apply(img, 6); // rotate clockwise
        RgbImage back = ExifOrientation.apply(r90, 8); // rotate counter-clockwise
        assertThat(back.pixels()).isEqualTo(img.pixels());
        assertThat(ExifOrientation.apply(ExifOrientation.apply(img, 3), 3).pixels()).isEqualTo(img.pixels());
        assertThat(ExifOrientation.apply(ExifOrientation.apply(img, 5), 5).pixels()).isEqualTo(img.pixels());
        assertThat(ExifOrientation.apply(img, 2).pixels()).isEqualTo(img.flipHorizontal().pixels());
    }

    /** A minimal PNG: IHDR, one zlib IDAT, IEND. */
    static byte[] png(int w, int h, int bitDepth, int colourType, byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        byte[] ihdr = {(byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w,
                (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, (byte) bitDepth, (byte) colourType, 0, 0, 0};
        chunk(out, "IHDR", ihdr);
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[raw.length + 64];
        int n = d.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        int n = data.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        CRC32 crc = new CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        out.writeBytes(type.getBytes());
        out.writeBytes(data);
        long c = crc.getValue();
        out.write((int) (c >>> 24));
        out.write((int) (c >>> 16));
        out.write((int) (c >>> 8));
        out.write((int) c);
    }

    @Test
    void decompressionBombsAreRefusedFromTheirHeaderBeforeDecoding() throws Exception {
        // a 1x1 PNG whose IHDR (CRC fixed up) claims 25000x25000 = 625 M pixels; a GIF whose screen claims 60000x60000
        byte[] png = encode("png", 1, 1);
        ByteBuffer ihdr = ByteBuffer.wrap(png, 16, 8); // IHDR data starts after signature (8), length (4), type (4)
        ihdr.putInt(25_000).putInt(25_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13); // type + 13 data bytes
        ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        assertThatThrownBy(() -> ImageDecoder.decode(png, "bomb.png")).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("bomb.png").hasMessageContaining("25000x25000").hasMessageContaining("vireo.maxImagePixels");
        byte[] gif = encode("gif", 1, 1);
        ByteBuffer.wrap(gif, 6, 4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 60_000).putShort((short) 60_000);
        assertThatThrownBy(() -> ImageDecoder.decode(gif, "bomb.gif")).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("bomb.gif").hasMessageContaining("60000x60000");
        assertThat(ImageDecoder.decode(encode("png", 3, 2), "small.png").width()).isEqualTo(3); // an honest file still reads
    }

    @Test
    void aLargeFileIsRefusedFromItsHeaderNamingTheFile(@TempDir Path dir) throws Exception {
        // 17 MB of IDAT behind an IHDR of 60000x60000: the header is read from the file first
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(60_000).putInt(60_000).put((byte) 8).put((byte) 2).array());
        chunk(out, "IDAT", new byte[17 << 20]);
        chunk(out, "IEND", new byte[0]);
        Path big = dir.resolve("big.png");
        Files.write(big, out.toByteArray());
        assertThatThrownBy(() -> ImageDecoder.decode(big)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(big.toString()).hasMessageContaining("60000x60000");
    }

    @Test
    void aTruncatedBmpAndAnOversizedHeaderSayWhatIsWrong() throws Exception {
        byte[] bmp = encode("bmp", 40, 30);
        assertThatThrownBy(() -> ImageDecoder.decode(Arrays.copyOf(bmp, bmp.length / 2), "cut.bmp"))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("cut.bmp").hasMessageNotContaining("null");
        String old = System.getProperty("vireo.maxImagePixels");
        System.setProperty("vireo.maxImagePixels", Long.toString(2_000_000_000L));
        try {
            assertThatThrownBy(() -> ImageLimits.check("huge.png", "png", 30_000, 30_000)).isInstanceOf(ImageDecodeException.class)
                    .hasMessageContaining("30000x30000").hasMessageContaining("can hold");
        } finally {
            if (old == null) System.clearProperty("vireo.maxImagePixels");
            else System.setProperty("vireo.maxImagePixels", old);
        }
    }

    @Test
    void pngsWithABadChunkCrcOrACutChunkAreRefusedAsPilRefusesThem() throws Exception {
        byte[] png = encode("png", 4, 3);
        byte[] badCrc = png.clone();
        badCrc[20] ^= 1; // a bit of IHDR's width, CRC unchanged
        assertThatThrownBy(() -> ImageDecoder.decode(badCrc, "flipped.png")).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("flipped.png").hasMessageContaining("IHDR").hasMessageContaining("bad CRC");
        byte[] cut = Arrays.copyOf(png, png.length - 20);
        assertThatThrownBy(() -> ImageDecoder.decode(cut, "cut.png")).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("cut.png");
        byte[] trailing = Arrays.copyOf(png, png.length + 5); // bytes after IEND are ignored, as by PIL
        assertThat(ImageDecoder.decode(trailing, "trailing.png").width()).isEqualTo(4);
    }

    private static byte[] encode(String format, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, format.equals("gif") ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }
}
