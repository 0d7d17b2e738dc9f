package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vireo caption} on the tiny BLIP captioning folder of the models' parity fixture: the JSON
 * ids and texts are those transformers' generate returned (greedy; beam search with a prompt, length
 * penalty, min length and repetition penalty), one line per image without --json, and bad input
 * (a folder that is no captioning model, an unreadable image among good ones, an option out of
 * range) is one line on stderr and a failure.
 */
class CaptionCommandTest {
    private static final Path FIXTURE = Path.of("../models/src/test/resources/blipcap").toAbsolutePath().normalize();
    private static final Path MODEL = FIXTURE.resolve("tiny_blip_caption");

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    private static JsonNode golden;
    private static List<String> images;

    @BeforeAll
    static void load() throws IOException {
        golden = new ObjectMapper().readTree(FIXTURE.resolve("blip_caption_golden.json").toFile());
        images = new ArrayList<>();
        for (JsonNode name : golden.get("images")) images.add(MODEL.resolve(name.asText()).toString());
    }

    private static JsonNode run(String name) {
        for (JsonNode r : golden.get("runs")) if (r.get("name").asText().equals(name)) return r;
        throw new AssertionError("no run " + name);
    }

    private List<String> args(String... options) {
        List<String> a = new ArrayList<>(List.of("caption", "--model", MODEL.toString(), "--image"));
        a.addAll(images);
        a.addAll(List.of(options));
        return a;
    }

    private void assertResultsAre(JsonNode expected) throws IOException {
        JsonNode results = new ObjectMapper().readTree(console.out()).get("results");
        assertThat(results).hasSize(images.size());
        for (int i = 0; i < images.size(); i++) {
            assertThat(results.get(i).get("image").asText()).isEqualTo(images.get(i));
            assertThat(results.get(i).get("ids")).as("image %d", i).isEqualTo(expected.get("ids").get(i));
            assertThat(results.get(i).get("text").asText()).isEqualTo(expected.get("texts").get(i).asText());
        }
    }

    @Test
    void greedyAndBeamCaptionsAreTransformers() throws Exception {
        assertThat(Vireo.run(args("--max-new-tokens", "12", "--json").toArray(String[]::new))).as("%s", console.err()).isZero();
        assertResultsAre(run("greedy"));
        console.resetOut();
        assertThat(Vireo.run(args("--prompt", "a photo of", "--beams", "3", "--max-new-tokens", "10", "--length-penalty", "0.6",
                "--min-length", "8", "--repetition-penalty", "1.3", "--json").toArray(String[]::new))).as("%s", console.err()).isZero();
        assertResultsAre(run("beam3_penalties"));
    }

    @Test
    void withoutJsonOneLinePerImage() {
        assertThat(Vireo.run(args("--max-new-tokens", "12", "--sample", "--top-k", "5", "--top-p", "0.9", "--temperature", "0.8",
                "--seed", "3").toArray(String[]::new))).as("%s", console.err()).isZero();
        assertThat(console.out()).hasLineCount(images.size()).startsWith(images.get(0) + "\t");
    }

    @Test
    void badInputIsOneLineAndAFailure() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThat(Vireo.run("caption", "--model", empty.toString(), "--image", images.get(0))).isEqualTo(1);
        assertThat(console.err()).contains("not a captioning model folder").hasLineCount(1);
        console.resetErr();

        Path missing = tmp.resolve("missing.png");
        assertThat(Vireo.run("caption", "--model", MODEL.toString(), "--image", images.get(0), missing.toString(), "--max-new-tokens", "3",
                "--json")).isEqualTo(1);
        JsonNode out = new ObjectMapper().readTree(console.out());
        assertThat(out.get("results")).hasSize(1);
        assertThat(out.get("errors").get(0).get("image").asText()).isEqualTo(missing.toString());
        console.resetErr();

        assertThat(Vireo.run("caption", "--model", MODEL.toString(), "--image", images.get(0), "--top-p", "1.5")).isEqualTo(2);
        assertThat(console.err()).contains("top-p").hasLineCount(1);
        console.resetErr();
        assertThat(Vireo.run("caption", "--model", MODEL.toString(), "--image", images.get(0), "--beams", "0")).isEqualTo(2);
        assertThat(console.err()).contains("beams").hasLineCount(1);
        console.resetErr();
        assertThat(Vireo.run("caption", "--model", MODEL.toString(), "--image", images.get(0), "--max-new-tokens", "500")).isEqualTo(1);
        assertThat(console.err()).contains("positions").hasLineCount(1);
    }
}
