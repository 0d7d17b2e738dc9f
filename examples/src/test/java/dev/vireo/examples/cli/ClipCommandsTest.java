package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** The embed, zeroshot, tokenize and export commands on the tiny Hugging Face fixture. */
class ClipCommandsTest {
    static final String MODEL = Path.of("../models/src/test/resources/hf/tiny-clip").toString();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

    @TempDir
    Path tmp;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

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
        JsonNode j = json();
        assertThat(j.get("image_embeds")).hasSize(1);
        assertThat(j.get("image_embeds").get(0)).hasSize(16);
        assertThat(j.get("text_embeds")).hasSize(2);
    }

    @Test
    void zeroshotProbabilitiesSumToOne() throws Exception {
        Path a = image("a.png", 0x10C010), b = image("b.png", 0x1010C0);
        assertThat(Vireo.run("zeroshot", "--model", MODEL, "--image", a.toString(), "--image", b.toString(),
                "--labels", "cat,dog,rocket", "--json")).isZero();
        JsonNode j = json();
        assertThat(j.get("labels")).hasSize(3);
        for (JsonNode r : j.get("results")) {
            double sum = 0;
            for (JsonNode p : r.get("probs")) sum += p.asDouble();
            assertThat(sum).isCloseTo(1.0, offset(1e-5));
            assertThat(r.get("top").asText()).isIn("cat", "dog", "rocket");
        }
    }

    @Test
    void tokenizeMatchesTheKnownIds() throws Exception {
        assertThat(Vireo.run("tokenize", "--model", MODEL, "--json", "--text", "a photo of a cat")).isZero();
        assertThat(json().get("ids").get(0).toString()).isEqualTo("[49406,320,1125,539,320,2368,49407]");
    }

    @Test
    void badInputIsOneLineAndNonZero() throws Exception {
        assertThat(Vireo.run("embed", "--model", MODEL, "--image", tmp.resolve("missing.jpg").toString())).isEqualTo(1);
        assertThat(Vireo.run("embed", "--model", tmp.toString(), "--text", "x")).isEqualTo(1);
        Path corrupt = tmp.resolve("corrupt.jpg");
        Files.write(corrupt, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        assertThat(Vireo.run("zeroshot", "--model", MODEL, "--image", corrupt.toString(), "--labels", "a,b")).isEqualTo(1);
        assertThat(Vireo.run("zeroshot", "--model", MODEL, "--image", corrupt.toString(), "--labels-file", "nope.txt")).isEqualTo(1);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("missing.jpg does not exist", "no config.json", "corrupt.jpg", "label file nope.txt does not exist");
        assertThat(e).doesNotContain("\tat ");
    }

    @Test
    void exportWritesAFolderThatLoadsBack() throws Exception {
        Path dir = tmp.resolve("export");
        assertThat(Vireo.run("export", "--model", MODEL, "--out", dir.toString(), "--expected", tmp.resolve("e.json").toString())).isZero();
        assertThat(dir.resolve("model.safetensors")).exists();
        out.reset();
        assertThat(Vireo.run("embed", "--model", dir.toString(), "--text", "a photo of a cat")).isZero();
        assertThat(json().get("text_embeds").get(0)).hasSize(16);
    }
}
