package dev.vireo.bench.fuzz;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.io.DType;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.data.CaptionTableReader;
import dev.vireo.models.data.IdxReader;
import dev.vireo.models.data.WebDatasetReader;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.text.WordPieceTokenizer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The parsers that read outside input, each with valid seed files made here: images (PNG, JPEG, GIF,
 * BMP through {@link ImageDecoder}), safetensors, training checkpoints, CLIP config JSON, caption CSV,
 * WebDataset tar shards, IDX (MNIST) files and WordPiece vocab.txt. Parsers that take a path read a
 * file in {@code scratch} that each input overwrites.
 */
final class FuzzTargets {
    private FuzzTargets() {}

    static List<FuzzTarget> all(Path scratch) throws IOException {
        Files.createDirectories(scratch);
        Path file = scratch.resolve("input");
        byte[] jpeg = image("jpg"), png = image("png");
        return List.of(
                new FuzzTarget("png", List.of(png), in -> ImageDecoder.decode(in, "fuzz.png")),
                new FuzzTarget("jpeg", List.of(jpeg), in -> ImageDecoder.decode(in, "fuzz.jpg")),
                new FuzzTarget("gif", List.of(image("gif")), in -> ImageDecoder.decode(in, "fuzz.gif")),
                new FuzzTarget("bmp", List.of(image("bmp")), in -> ImageDecoder.decode(in, "fuzz.bmp")),
                new FuzzTarget("safetensors", List.of(safetensors()), in -> {
                    Files.write(file, in);
                    try (SafetensorsReader r = SafetensorsReader.open(file)) {
                        r.metadata();
                        for (String name : r.names()) r.tensor(name).toArray();
                    }
                }),
                new FuzzTarget("checkpoint", List.of(checkpoint(scratch)), in -> {
                    Files.write(file, in);
                    Checkpoint.load(file);
                }),
                new FuzzTarget("clip-config-json", List.of(ClipConfig.create("tiny").toJson().getBytes(StandardCharsets.UTF_8)),
                        in -> ClipConfig.fromJson(new String(in, StandardCharsets.UTF_8))),
                new FuzzTarget("caption-csv", List.of(("image,caption\nimg0.png,a red circle\n\"img1.png\",\"a blue square, \"\"small\"\"\"\n"
                        + "img2.jpg,two green triangles\n").getBytes(StandardCharsets.UTF_8)), in -> {
                    Files.write(file, in);
                    CaptionTableReader.read(file, CaptionTableReader.Format.csv("image", "caption"), scratch);
                }),
                new FuzzTarget("webdataset-tar", List.of(tar(Map.of("000.jpg", jpeg, "000.txt", caption("a red circle"),
                        "001.png", png, "001.txt", caption("a blue square")))), in -> {
                    Path shard = scratch.resolve("input.tar");
                    Files.write(shard, in);
                    WebDatasetReader.readShard(shard);
                }),
                new FuzzTarget("idx", List.of(idx()), in -> {
                    Files.write(file, in);
                    IdxReader.readImages(file);
                }),
                new FuzzTarget("vocab-txt", List.of(String.join("\n", "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "##s",
                        "sat", "on", "mat", "a", "##b", ",", ".").getBytes(StandardCharsets.UTF_8)), in -> {
                    Files.write(file, in);
                    WordPieceTokenizer.fromVocabTxt(file, true).tokenize("The cats sat on a mat, abab.");
                }));
    }

    private static byte[] image(String format) throws IOException {
        BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) for (int x = 0; x < 37; x++) img.setRGB(x, y, (x * 7) << 16 | (y * 11) << 8 | (x + y) * 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
        return out.toByteArray();
    }

    private static byte[] safetensors() throws IOException {
        Rng rng = new Rng(1);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt")
                .put("a.weight", Tensor.randn(rng, 0, 1, 3, 4))
                .put("a.bias", Tensor.randn(rng, 0, 1, 4), DType.F16)
                .put("b", Tensor.randn(rng, 0, 1, 2, 2, 2), DType.BF16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(Channels.newChannel(out));
        return out.toByteArray();
    }

    private static byte[] checkpoint(Path scratch) throws IOException {
        Rng rng = new Rng(2);
        Path file = scratch.resolve("seed-checkpoint.safetensors");
        Checkpoint.capture(3, rng, "{\"model\":\"tiny\"}", Map.of("w", Tensor.randn(rng, 0, 1, 4, 3), "b", Tensor.randn(rng, 0, 1, 3)), null)
                .save(file);
        return Files.readAllBytes(file);
    }

    private static byte[] caption(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An IDX3 image file: magic 0x00000803, 3 images of 4×5. */
    private static byte[] idx() {
        byte[] x = new byte[16 + 3 * 4 * 5];
        int[] header = {0x803, 3, 4, 5};
        for (int i = 0; i < 4; i++) for (int b = 0; b < 4; b++) x[4 * i + b] = (byte) (header[i] >>> (24 - 8 * b));
        for (int i = 16; i < x.length; i++) x[i] = (byte) (i * 13);
        return x;
    }

    /** A POSIX ustar archive of the given members, in name order. */
    private static byte[] tar(Map<String, byte[]> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        members.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            byte[] h = new byte[512];
            put(h, 0, e.getKey());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", e.getValue().length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            int sum = 0;
            for (byte b : h) sum += b & 0xFF;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(e.getValue());
            out.writeBytes(new byte[(512 - e.getValue().length % 512) % 512]);
        });
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
