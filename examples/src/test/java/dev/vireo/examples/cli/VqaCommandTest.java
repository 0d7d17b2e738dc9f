package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vireo vqa} on the tiny ViLT fixture folder of the models module: pairs in order and one
 * image asked several questions, the JSON's answers and scored top answers (the answer is the best
 * of them), a readable line per question, and one-line errors for an unreadable image (the others
 * still answered), questions that do not pair with the images, a folder that is no VQA model and a
 * bad generation setting.
 */
class VqaCommandTest {
    private static final Path VILT = Path.of("../models/src/test/resources/vilt/tiny_vilt").toAbsolutePath().normalize();

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void aBlipVqaFolderAnswersAsTransformersGenerates() throws Exception {
        // blip_vqa_golden.json's greedy run (8 new tokens): transformers' generate on the same pairs
        Path blip = Path.of("../models/src/test/resources/blipcap").toAbsolutePath().normalize();
        Path images = blip.resolve("tiny_blip_caption");
        assertThat(Vireo.run("vqa", "--model", blip.resolve("tiny_blip_vqa").toString(),
                "--image", images.resolve("gradient.png").toString(), "--question", "is the cat red?",
                "--image", images.resolve("noise.png").toString(), "--question", "two dogs?", "--max-new-tokens", "8", "--json"))
                .as("%s", console.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(console.out()).get("results");
        assertThat(results.get(0).get("answer").asText()).isEqualTo(",,,,,,,,");
        assertThat(results.get(1).get("answer").asText()).isEqualTo("on on on on on on on on");
        assertThat(results.get(0).has("top")).as("a generative answer has no top").isFalse();
    }

    @Test
    void answersPairsInOrderAsJson() throws Exception {
        String wide = VILT.resolve("wide.png").toString(), tall = VILT.resolve("tall.png").toString();
        assertThat(Vireo.run("vqa", "--model", VILT.toString(), "--image", wide, "--question", "What color is the sky?",
                "--image", tall, "--question", "How many dogs are there?", "--top", "3", "--json")).as("%s", console.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(console.out()).get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("image").asText()).isEqualTo(wide);
        assertThat(results.get(1).get("question").asText()).isEqualTo("How many dogs are there?");
        for (JsonNode r : results) {
            JsonNode top = r.get("top");
            assertThat(top).hasSize(3);
            assertThat(r.get("answer").asText()).isEqualTo(top.get(0).get("answer").asText());
            assertThat(top.get(0).get("score").asDouble()).isBetween(top.get(1).get("score").asDouble(), 1.0);
            assertThat(top.get(2).get("score").asDouble()).isBetween(0.0, top.get(1).get("score").asDouble());
        }
    }

    @Test
    void oneImageIsAskedEveryQuestionInReadableLines() {
        String photo = VILT.resolve("photo.png").toString();
        assertThat(Vireo.run("vqa", "--model", VILT.toString(), "--image", photo, "--question", "Is it a cat", "where is the dog?",
                "--top", "2", "--beams", "3", "--max-new-tokens", "5")).as("%s", console.err()).isZero();
        assertThat(console.out().strip().lines()).hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith(photo + "\t").matches(".*\t.*\t\\S.*\t\\(.* 0\\.\\d{3}, .* 0\\.\\d{3}\\)"));
        assertThat(console.out()).contains("\tIs it a cat\t", "\twhere is the dog?\t");
    }

    @Test
    void badInputIsAOneLineError() throws Exception {
        String wide = VILT.resolve("wide.png").toString();
        Path broken = tmp.resolve("broken.png"), missing = tmp.resolve("missing.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThat(Vireo.run("vqa", "--model", VILT.toString(), "--image", wide, broken.toString(), missing.toString(),
                "--question", "a?", "b?", "c?", "--json")).isEqualTo(1);
        JsonNode out = new ObjectMapper().readTree(console.out());
        assertThat(out.get("results")).hasSize(3);
        assertThat(out.get("results").get(0).get("answer").isTextual()).isTrue();
        assertThat(out.get("results").get(1).get("answer").isNull()).isTrue();
        assertThat(out.get("errors")).hasSize(2);
        assertThat(out.get("errors").get(1).get("image").asText()).endsWith("missing.png");

        for (String[] args : new String[][] {
                {"vqa", "--model", VILT.toString(), "--image", wide, wide, "--question", "a?", "b?", "c?"},
                {"vqa", "--model", tmp.toString(), "--image", wide, "--question", "a?"},
                {"vqa", "--model", tmp.resolve("nowhere").toString(), "--image", wide, "--question", "a?"},
                {"vqa", "--model", VILT.toString(), "--image", wide, "--question", "a?", "--beams", "0"},
                {"vqa", "--model", VILT.toString(), "--image", wide, "--question", "a?", "--top", "-1"}}) {
            console.resetErr();
            assertThat(Vireo.run(args)).as(String.join(" ", args)).isIn(1, 2);
            assertThat(console.err().strip()).as(String.join(" ", args)).startsWith("vireo vqa: ").hasLineCount(1).doesNotContain("Exception");
        }
        assertThat(Vireo.run("vqa", "--model", VILT.toString(), "--image", wide, wide, "--question", "a?", "b?", "c?")).isEqualTo(2);
        assertThat(console.err()).contains("2 images and 3 questions do not pair in order");
        assertThat(Vireo.run("vqa", "--model", tmp.toString(), "--image", wide, "--question", "a?")).isEqualTo(1);
        assertThat(console.err()).contains("is not a visual question answering folder");
    }
}
