package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The embed, zeroshot, tokenize and export commands on the tiny Hugging Face fixture; values against
 * transformers' own outputs on the same folder (models' hf/make_transformers_references.py).
 */
class ClipCommandsTest {
    static final String MODEL = Path.of("../models/src/test/resources/hf/tiny-clip").toString();
    static final Path PHOTOS = Path.of("../models/src/test/resources/image/inputs");

    private static JsonNode transformers() throws Exception {
        return new ObjectMapper().readTree(Path.of(MODEL, "transformers_expected.json").toFile());
    }

    /** max |actual − expected| ≤ 1e-4 · max |expected| over the rows, as the models' parity tests hold it. */
    private static void assertRowsClose(String what, JsonNode expected, JsonNode actual) {
        assertThat(actual).as(what).hasSize(expected.size());
        double scale = 0, worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as(what + " row " + i).hasSize(expected.get(i).size());
            for (int j = 0; j < expected.get(i).size(); j++) {
                scale = Math.max(scale, Math.abs(expected.get(i).get(j).asDouble()));
                worst = Math.max(worst, Math.abs(expected.get(i).get(j).asDouble() - actual.get(i).get(j).asDouble()));
            }
        }
        assertThat(worst).as(what + ": largest difference from transformers").isLessThanOrEqualTo(1e-4 * scale);
    }
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    private Path image(String name, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, rgb ^ (x * 7 + y * 3));
        Path p = tmp.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void embedGivesFeaturesInInputOrder() throws Exception {
        Path a = image("a.png", 0xC01010);
        assertThat(Vireo.run("embed", "--model", MODEL, "--image", a.toString(), "--text", "a photo of a cat", "--text", "a dog")).isZero();
        JsonNode j = console.json();
        assertThat(j.get("image_embeds")).hasSize(1);
        assertThat(j.get("image_embeds").get(0)).hasSize(16);
        assertThat(j.get("text_embeds")).hasSize(2);
    }

    @Test
    void embedValuesAreTransformersFeatures() throws Exception {
        JsonNode ref = transformers();
        List<String> args = new ArrayList<>(List.of("embed", "--model", MODEL));
        for (JsonNode photo : ref.get("photos")) args.addAll(List.of("--image", PHOTOS.resolve(photo.asText()).toString()));
        for (JsonNode caption : ref.get("captions")) args.addAll(List.of("--text", caption.asText()));
        assertThat(Vireo.run(args.toArray(String[]::new))).isZero();
        JsonNode j = console.json();
        assertRowsClose("image_embeds", ref.get("photo_embeds"), j.get("image_embeds"));
        assertRowsClose("text_embeds", ref.get("caption_embeds"), j.get("text_embeds"));
    }

    @Test
    void zeroshotValuesAreTransformersProbabilities() throws Exception {
        JsonNode ref = transformers();
        List<String> labels = new ArrayList<>();
        for (JsonNode label : ref.get("labels")) labels.add(label.asText());
        List<String> args = new ArrayList<>(List.of("zeroshot", "--model", MODEL, "--json", "--template", ref.get("template").asText(),
                "--labels", String.join(",", labels)));
        for (JsonNode photo : ref.get("photos")) args.addAll(List.of("--image", PHOTOS.resolve(photo.asText()).toString()));
        assertThat(Vireo.run(args.toArray(String[]::new))).isZero();
        JsonNode results = console.json().get("results");
        var probs = new ObjectMapper().createArrayNode();
        for (JsonNode r : results) probs.add(r.get("probs"));
        assertRowsClose("probs", ref.get("zeroshot_probs"), probs);
    }

    @Test
    void zeroshotProbabilitiesSumToOne() throws Exception {
        Path a = image("a.png", 0x10C010), b = image("b.png", 0x1010C0);
        assertThat(Vireo.run("zeroshot", "--model", MODEL, "--image", a.toString(), "--image", b.toString(),
                "--labels", "cat,dog,rocket", "--json")).isZero();
        JsonNode j = console.json();
        assertThat(j.get("labels")).hasSize(3);
        for (JsonNode r : j.get("results")) {
            double sum = 0;
            for (JsonNode p : r.get("probs")) sum += p.asDouble();
            assertThat(sum).isCloseTo(1.0, offset(1e-5));
            assertThat(r.get("top").asText()).isIn("cat", "dog", "rocket");
        }
    }

    @Test
    void oneBadImageCostsOnlyItsOwnResult() throws Exception {
        Path a = image("a.png", 0xC01010), b = image("b.png", 0x1010C0);
        Path corrupt = tmp.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThat(Vireo.run("embed", "--model", MODEL, "--image", a.toString(), corrupt.toString(), tmp.toString(), b.toString())).isEqualTo(1);
        JsonNode j = console.json();
        assertThat(j.get("image_embeds")).hasSize(4);
        assertThat(j.get("image_embeds").get(0)).hasSize(16);
        assertThat(j.get("image_embeds").get(1).isNull()).isTrue();
        assertThat(j.get("image_embeds").get(2).isNull()).isTrue();
        assertThat(j.get("image_embeds").get(3)).hasSize(16);
        assertThat(j.get("errors")).hasSize(2);
        assertThat(j.get("errors").get(0).get("image").asText()).endsWith("corrupt.png");
        assertThat(j.get("errors").get(1).get("error").asText()).contains("not a regular file");
        console.resetOut();
        float[] alone = new float[16];
        assertThat(Vireo.run("embed", "--model", MODEL, "--image", b.toString())).isZero();
        for (int i = 0; i < 16; i++) alone[i] = (float) console.json().get("image_embeds").get(0).get(i).asDouble();
        for (int i = 0; i < 16; i++) assertThat((float) j.get("image_embeds").get(3).get(i).asDouble()).isEqualTo(alone[i]);

        console.resetOut();
        assertThat(Vireo.run("zeroshot", "--model", MODEL, "--image", corrupt.toString(), a.toString(), "--labels", "cat,dog", "--json")).isEqualTo(1);
        JsonNode z = console.json().get("results");
        assertThat(z.get(0).get("error").asText()).contains("corrupt.png");
        assertThat(z.get(1).get("top").asText()).isIn("cat", "dog");
        assertThat(console.err()).contains("1 of 2 images could not be read");
    }

    @Test
    void tokenizeMatchesTheKnownIds() throws Exception {
        assertThat(Vireo.run("tokenize", "--model", MODEL, "--json", "--text", "a photo of a cat")).isZero();
        assertThat(console.json().get("ids").get(0).toString()).isEqualTo("[49406,320,1125,539,320,2368,49407]");
    }

    @Test
    void badInputIsOneLineAndNonZero() throws Exception {
        assertThat(Vireo.run("embed", "--model", MODEL, "--image", tmp.resolve("missing.jpg").toString())).isEqualTo(1);
        assertThat(Vireo.run("embed", "--model", tmp.toString(), "--text", "x")).isEqualTo(1);
        Path corrupt = tmp.resolve("corrupt.jpg");
        Files.write(corrupt, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        assertThat(Vireo.run("zeroshot", "--model", MODEL, "--image", corrupt.toString(), "--labels", "a,b")).isEqualTo(1);
        assertThat(Vireo.run("zeroshot", "--model", MODEL, "--image", corrupt.toString(), "--labels-file", "nope.txt")).isEqualTo(1);
        String e = console.err();
        assertThat(e).contains("missing.jpg does not exist", "no config.json", "corrupt.jpg", "label file nope.txt does not exist");
        assertThat(e).doesNotContain("\tat ");
    }

    @Test
    void nonFiniteFeaturesAndBadConfigValuesAreErrorsNotJson() throws Exception {
        Path copy = tmp.resolve("nan-clip");
        Files.createDirectories(copy);
        try (var files = Files.list(Path.of(MODEL))) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        // the last value of the file is visual_projection's: NaN there makes every image feature NaN
        byte[] weights = Files.readAllBytes(copy.resolve("model.safetensors"));
        long headerLength = ByteBuffer.wrap(weights, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(weights, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonNode entry = new ObjectMapper().readTree(header).get("visual_projection.weight");
        int end = (int) (8 + headerLength + entry.get("data_offsets").get(1).asLong());
        ByteBuffer.wrap(weights, end - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        Files.write(copy.resolve("model.safetensors"), weights);
        Path a = image("a.png", 0x10C010);
        assertThat(Vireo.run("embed", "--model", copy.toString(), "--image", a.toString())).isEqualTo(1);
        assertThat(console.out()).doesNotContain("NaN");
        assertThat(console.err()).contains("non-finite feature");

        Files.copy(Path.of(MODEL, "model.safetensors"), copy.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(copy.resolve("preprocessor_config.json"), "{\"image_std\": 0}");
        assertThat(Vireo.run("embed", "--model", copy.toString(), "--image", a.toString())).isEqualTo(1);
        assertThat(console.err()).contains("preprocessor_config.json: ClipPreprocessConfig: image_std");
    }

    @Test
    void exportWritesAFolderThatLoadsBack() throws Exception {
        Path dir = tmp.resolve("export");
        assertThat(Vireo.run("export", "--model", MODEL, "--out", dir.toString())).isZero();
        assertThat(dir.resolve("model.safetensors")).exists();
        console.resetOut();
        assertThat(Vireo.run("embed", "--model", dir.toString(), "--text", "a photo of a cat")).isZero();
        assertThat(console.json().get("text_embeds").get(0)).hasSize(16);
    }
}
