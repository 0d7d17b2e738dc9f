package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.vqa.AnswerVocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code vireo demo vqa} and {@code vireo finetune --task vqa} end to end on short runs. In the vector-kernel pass only. */
class VqaCommandsTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void aShortVqaDemoWritesItsMetricsAndExamples() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("vqa");
        assertThat(Vireo.run("demo", "vqa", "--quick", "--steps", "20", "--train-scenes", "200", "--test-scenes", "20", "--out", out.toString()))
                .as("%s", console.err()).isZero();
        for (String f : List.of("metrics.json", "metrics.jsonl", "loss.png", "examples.png", "checkpoint.safetensors", "config.json", "vocab.txt",
                AnswerVocabulary.FILE)) {
            assertThat(out.resolve(f)).as("the run folder has %s", f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.at("/vqa/overall").asDouble()).isBetween(0.0, 1.0);
        for (String type : List.of("count", "colour", "shape", "exists", "relation")) {
            assertThat(m.at("/vqa/per_type/" + type).asDouble()).as(type).isBetween(0.0, 1.0);
        }
        assertThat(console.out()).contains("Held-out questions answered right");
    }

    @Test
    void finetuneTrainsAQuestionAnsweringRunAndRefusesWhatItCannot() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("ft");
        assertThat(Vireo.run("finetune", "--task", "vqa", "--fusion", "early", "--data", "shapes:100", "--steps", "4", "--batch", "8",
                "--max-answers", "12", "--quiet", "--out", out.toString())).as("%s", console.err()).isZero();
        assertThat(Files.readAllLines(out.resolve(AnswerVocabulary.FILE))).hasSize(12).contains("yes", "no");
        assertThat(Vireo.run("finetune", "--task", "caption", "--out", tmp.resolve("x").toString())).isNotZero();
        assertThat(console.err()).contains("--task must be vqa");
        assertThat(Vireo.run("finetune", "--task", "vqa", "--fusion", "late", "--out", tmp.resolve("y").toString())).isNotZero();
        assertThat(console.err()).contains("late fusion has no fused [CLS]");
    }
}
