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

/** {@code vireo demo vqa} and {@code vireo finetune --task vqa}, both heads, end to end on short runs. In the vector-kernel pass only. */
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
                AnswerVocabulary.FILE, "caption/checkpoint.safetensors", "caption/prompt.txt")) {
            assertThat(out.resolve(f)).as("the run folder has %s", f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.at("/vqa/overall").asDouble()).isBetween(0.0, 1.0);
        for (String type : List.of("count", "colour", "shape", "exists", "relation")) {
            assertThat(m.at("/vqa/per_type/" + type).asDouble()).as(type).isBetween(0.0, 1.0);
        }
        assertThat(console.out()).contains("Held-out questions answered right");

        // the run folder answers through vireo vqa
        Path scene = tmp.resolve("scene.png");
        dev.vireo.models.data.shapes.ShapeScene s = dev.vireo.models.data.shapes.ShapesWorld.test(1, dev.vireo.models.data.shapes.ShapesWorld.Config.of(48)).getFirst();
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(48, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        byte[] rgb = s.renderRgb();
        for (int i = 0; i < 48 * 48; i++) image.setRGB(i % 48, i / 48, (rgb[3 * i] & 255) << 16 | (rgb[3 * i + 1] & 255) << 8 | rgb[3 * i + 2] & 255);
        javax.imageio.ImageIO.write(image, "png", scene.toFile());
        console.resetOut();
        assertThat(Vireo.run("vqa", "--model", out.toString(), "--image", scene.toString(), "--question", "how many shapes are there?",
                "--question", "is there a red shape?", "--top", "2", "--json")).as("%s", console.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(console.out()).get("results");
        assertThat(results).hasSize(2);
        List<String> answers = Files.readAllLines(out.resolve(AnswerVocabulary.FILE));
        for (JsonNode r : results) {
            assertThat(answers).contains(r.get("answer").asText());
            assertThat(r.get("top")).hasSize(2);
        }
    }

    @Test
    void finetuneTrainsAQuestionAnsweringRunAndRefusesWhatItCannot() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("ft");
        assertThat(Vireo.run("finetune", "--task", "vqa", "--fusion", "early", "--data", "shapes:100", "--steps", "4", "--batch", "8",
                "--max-answers", "12", "--quiet", "--out", out.toString())).as("%s", console.err()).isZero();
        assertThat(Files.readAllLines(out.resolve(AnswerVocabulary.FILE))).hasSize(12).contains("yes", "no");
        // the image tower of a captioner
        Path captioner = tmp.resolve("captioner"), fromCaptioner = tmp.resolve("from-captioner");
        assertThat(Vireo.run("finetune", "--task", "caption", "--data", "shapes:64", "--steps", "2", "--batch", "8", "--quiet",
                "--out", captioner.toString())).as("%s", console.err()).isZero();
        assertThat(Vireo.run("finetune", "--task", "vqa", "--from", captioner.toString(), "--data", "shapes:64", "--steps", "2", "--batch", "8",
                "--quiet", "--out", fromCaptioner.toString())).as("%s", console.err()).isZero();
        assertThat(fromCaptioner.resolve(AnswerVocabulary.FILE)).isRegularFile();
        Path pretrained = tmp.resolve("pretrained");
        assertThat(Vireo.run("pretrain", "--fusion", "mid", "--image-tower-from", captioner.toString(), "--data", "shapes:64", "--steps", "2",
                "--batch", "8", "--quiet", "--out", pretrained.toString())).as("%s", console.err()).isZero();
        assertThat(Vireo.run("pretrain", "--fusion", "early", "--image-tower-from", captioner.toString(), "--data", "shapes:64", "--steps", "2",
                "--batch", "8", "--quiet", "--out", tmp.resolve("early").toString())).isNotZero();
        assertThat(console.err()).contains("has another image tower");
        assertThat(Vireo.run("finetune", "--task", "sing", "--out", tmp.resolve("x").toString())).isNotZero();
        assertThat(console.err()).contains("--task must be vqa or caption");
        assertThat(Vireo.run("finetune", "--task", "vqa", "--fusion", "late", "--out", tmp.resolve("y").toString())).isNotZero();
        assertThat(console.err()).contains("late fusion has no fused [CLS]");
    }

    @Test
    void theGenerativeHeadTrainsAnswersAndDemos() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        // finetune --head generate from a captioner: its image tower and its decoder
        Path captioner = tmp.resolve("captioner"), run = tmp.resolve("generate");
        assertThat(Vireo.run("finetune", "--task", "caption", "--data", "shapes:64", "--steps", "2", "--batch", "8", "--quiet",
                "--out", captioner.toString())).as("%s", console.err()).isZero();
        assertThat(Vireo.run("finetune", "--task", "vqa", "--head", "generate", "--from", captioner.toString(), "--data", "shapes:64", "--steps", "2",
                "--batch", "8", "--quiet", "--out", run.toString())).as("%s", console.err()).isZero();
        assertThat(run.resolve(dev.vireo.models.vqa.GenerativeVqaModel.DECODER_CONFIG)).isRegularFile();
        assertThat(run.resolve(AnswerVocabulary.FILE)).doesNotExist();
        assertThat(Files.readString(run.resolve("task.txt"))).startsWith("vqa, generate head");

        // vireo vqa on the generative run: an answer, no top
        Path scene = tmp.resolve("scene.png");
        dev.vireo.models.data.shapes.ShapeScene s = dev.vireo.models.data.shapes.ShapesWorld.test(1, dev.vireo.models.data.shapes.ShapesWorld.Config.of(48)).getFirst();
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(48, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        byte[] rgb = s.renderRgb();
        for (int i = 0; i < 48 * 48; i++) image.setRGB(i % 48, i / 48, (rgb[3 * i] & 255) << 16 | (rgb[3 * i + 1] & 255) << 8 | rgb[3 * i + 2] & 255);
        javax.imageio.ImageIO.write(image, "png", scene.toFile());
        console.resetOut();
        assertThat(Vireo.run("vqa", "--model", run.toString(), "--image", scene.toString(), "--question", "how many shapes are there?",
                "--question", "is there a red shape?", "--beams", "2", "--max-new-tokens", "3", "--json")).as("%s", console.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(console.out()).get("results");
        assertThat(results).hasSize(2);
        for (JsonNode r : results) {
            assertThat(r.get("answer").isTextual()).isTrue();
            assertThat(r.has("top")).as("a generative answer has no top").isFalse();
            assertThat(r.get("question").asText()).endsWith("?");
        }
        assertThat(Vireo.run("finetune", "--task", "vqa", "--head", "vote", "--out", tmp.resolve("z").toString())).isNotZero();
        assertThat(console.err()).contains("--head must be classify or generate");

        // the demo on a --quick budget
        Path demo = tmp.resolve("demo");
        assertThat(Vireo.run("demo", "vqa", "--head", "generate", "--quick", "--steps", "10", "--train-scenes", "100", "--test-scenes", "10",
                "--out", demo.toString())).as("%s", console.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(demo.resolve("metrics.json").toFile());
        assertThat(m.at("/training/head").asText()).isEqualTo("generate");
        assertThat(m.at("/vqa/overall").asDouble()).isBetween(0.0, 1.0);
        assertThat(m.at("/vqa/per_type/count").asDouble()).isBetween(0.0, 1.0);
        assertThat(demo.resolve("examples.png")).isRegularFile();
    }
}
