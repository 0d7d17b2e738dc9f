package dev.vireo.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.examples.cli.Vireo;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands end to end as a user runs them: embed a folder, evaluate, index in shards, then vireo search on the shards. */
class SparkCommandsTest {
    static final String MODEL = Path.of("../../models/src/test/resources/hf/tiny-clip").toAbsolutePath().normalize().toString();

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

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
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return new ObjectMapper().readTree(s);
    }

    private String errors() {
        String s = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return s;
    }

    @Test
    void embedEvalIndexThenSearchTheShards() throws Exception {
        Random random = new Random(3);
        for (String label : new String[] {"cats", "dogs"}) {
            Files.createDirectories(tmp.resolve("photos").resolve(label));
            for (int i = 0; i < 12; i++) {
                BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) img.setRGB(x, y, random.nextInt(0x1000000));
                ImageIO.write(img, "png", tmp.resolve("photos").resolve(label).resolve("p" + i + ".png").toFile());
            }
        }
        Files.write(tmp.resolve("photos/cats/torn.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n'});
        String master = "local[2]";
        assertThat(VireoSpark.run("embed", tmp.resolve("photos").toString(), "--model", MODEL, "--out", tmp.resolve("emb").toString(),
                "--master", master, "--quiet", "--stacktrace")).as("%s", err).isEqualTo(0);
        JsonNode embed = json();
        assertThat(embed.get("embedded").asInt()).isEqualTo(24);
        assertThat(embed.get("rejected").asInt()).isEqualTo(1);
        assertThat(errors()).contains("1 images could not be read");

        assertThat(VireoSpark.run("eval", tmp.resolve("emb").toString(), "--master", master, "--quiet")).isEqualTo(0);
        JsonNode eval = json();
        assertThat(eval.get("images").asInt()).isEqualTo(24);
        assertThat(eval.at("/zeroshot/top1").asDouble()).isBetween(0.0, 1.0);
        assertThat(eval.at("/zeroshot/classes").toString()).isEqualTo("[\"cats\",\"dogs\"]");

        assertThat(VireoSpark.run("index", tmp.resolve("emb").toString(), "--out", tmp.resolve("ix").toString(), "--shards", "3",
                "--master", master, "--quiet")).as("%s", err).isEqualTo(0);
        assertThat(json().get("images").asInt()).isEqualTo(24);

        assertThat(Vireo.run("search", tmp.resolve("ix").toString(), "--text", "a cat", "--k", "3", "--json")).isEqualTo(0);
        JsonNode hits = json().get("results");
        assertThat(hits).hasSize(3);
        assertThat(hits.get(0).get("path").asText()).startsWith(tmp.resolve("photos").toString());

        // bad input: one line, exit 1 or 2, nothing written
        assertThat(VireoSpark.run("index", tmp.resolve("emb").toString(), "--out", tmp.resolve("ix").toString(), "--master", master)).isEqualTo(1);
        assertThat(errors().strip()).contains("is not empty").doesNotContain("\n");
        assertThat(VireoSpark.run("embed", tmp.resolve("photos").toString(), "--model", tmp.resolve("nothing").toString(),
                "--out", tmp.resolve("emb2").toString(), "--master", master)).isEqualTo(1);
        assertThat(errors().strip()).startsWith("vireo spark embed: ").doesNotContain("\n");
        assertThat(tmp.resolve("emb2")).doesNotExist();
        assertThat(VireoSpark.run("embed", "--out", "x")).isEqualTo(2);
        assertThat(errors()).contains("--model");
        assertThat(SparkSession.getDefaultSession().isEmpty() || !SparkSession.getDefaultSession().get().sparkContext().isStopped()).isTrue();
    }
}
