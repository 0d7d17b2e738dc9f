package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** {@code vireo index} and {@code vireo search} on the tiny Hugging Face CLIP, checked against {@code vireo embed}. */
class IndexSearchCommandsTest {
    static final String MODEL = Path.of("../models/src/test/resources/hf/tiny-clip").toString();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    private List<Path> images(int n) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Random random = new Random(11);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(30 + i, 40, BufferedImage.TYPE_INT_RGB);
            int base = random.nextInt(0x1000000);
            for (int y = 0; y < 40; y++) for (int x = 0; x < 30 + i; x++) img.setRGB(x, y, base ^ random.nextInt(0x300000));
            Path p = folder.resolve("p" + i + ".png");
            ImageIO.write(img, "png", p.toFile());
            out.add(p.toAbsolutePath().normalize());
        }
        return out;
    }

    private JsonNode run(String... args) throws Exception {
        console.resetOut();
        assertThat(Vireo.run(args)).as("%s", console.err()).isZero();
        return console.json();
    }

    @Test
    void exactSearchIsEmbedsBruteForceRankingAndIndexingIsIncremental() throws Exception {
        List<Path> files = images(15);
        Files.writeString(tmp.resolve("photos/broken.jpg"), "not a JPEG");
        String index = tmp.resolve("index").toString(), photos = tmp.resolve("photos").toString();
        JsonNode first = run("index", photos, "--model", MODEL, "--out", index, "--batch", "4", "--json", "--quiet");
        assertThat(first.get("indexed").asInt()).isEqualTo(15);
        assertThat(first.get("skipped").asInt()).isEqualTo(1);
        assertThat(first.get("unchanged").asInt()).isZero();
        assertThat(first.get("skipped_files").get(0).get("path").asText()).endsWith("broken.jpg");
        JsonNode second = run("index", photos, "--model", MODEL, "--out", index, "--json", "--quiet");
        assertThat(second.get("indexed").asInt()).isZero();
        assertThat(second.get("unchanged").asInt()).isEqualTo(15);

        String text = "a photo of a dog";
        List<String> args = new ArrayList<>(List.of("embed", "--model", MODEL, "--text", text));
        for (Path f : files) args.addAll(List.of("--image", f.toString()));
        JsonNode embed = run(args.toArray(String[]::new));
        record Scored(String path, double score) {}
        List<Scored> want = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) want.add(new Scored(files.get(i).toString(), cosine(embed.get("image_embeds").get(i), embed.get("text_embeds").get(0))));
        want.sort(Comparator.comparingDouble(Scored::score).reversed());

        JsonNode results = run("search", index, "--text", text, "--k", "10", "--exact", "--json").get("results");
        assertThat(results).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(results.get(i).get("path").asText()).as("result %d", i).isEqualTo(want.get(i).path());
            assertThat(results.get(i).get("score").asDouble()).isCloseTo(want.get(i).score(), offset(1e-5));
        }
        JsonNode byExample = run("search", index, "--image", files.get(3).toString(), "--k", "1", "--json").get("results");
        assertThat(byExample.get(0).get("path").asText()).isEqualTo(files.get(3).toString());
    }

    @Test
    void aQueryFromAnotherModelIsRefusedInOneLine() throws Exception {
        images(3);
        run("index", tmp.resolve("photos").toString(), "--model", MODEL, "--out", tmp.resolve("index").toString(), "--json", "--quiet");
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        for (String f : List.of("config.json", "model.safetensors", "vocab.json", "merges.txt", "tokenizer_config.json", "preprocessor_config.json")) {
            Files.copy(Path.of(MODEL, f), other.resolve(f));
        }
        byte[] weights = Files.readAllBytes(other.resolve("model.safetensors"));
        weights[weights.length - 3] ^= 0x40; // one weight changed
        Files.write(other.resolve("model.safetensors"), weights);
        console.resetErr();
        assertThat(Vireo.run("search", tmp.resolve("index").toString(), "--text", "a cat", "--model", other.toString())).isEqualTo(1);
        assertThat(console.err().strip()).contains("was made with model").doesNotContain("\n");
        assertThat(Vireo.run("search", tmp.resolve("missing").toString(), "--text", "a cat")).isEqualTo(1);
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
            na += a.get(i).asDouble() * a.get(i).asDouble();
            nb += b.get(i).asDouble() * b.get(i).asDouble();
        }
        return dot / Math.sqrt(na * nb);
    }
}
