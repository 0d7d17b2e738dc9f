package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code vireo demo --quick} end to end, as the README's first command runs it: the run folder, its
 * metrics in range and above chance, the log, and plots that decode. In the vector-kernel pass only
 * (half a minute on two cores).
 */
class DemoCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void quickDemoWritesItsRunFolderWithFiguresAboveChance() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("demo");
        assertThat(Vireo.run("demo", "--quick", "--out", out.toString())).as("%s", console.err()).isZero();
        for (String f : List.of("metrics.json", "metrics.jsonl", "loss.png", "similarity.png", "checkpoint.safetensors",
                "config.json", "data.json", "run_settings.json")) {
            assertThat(out.resolve(f)).as("the run folder has %s", f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        // 60 steps of 128 on 1,000 scenes, 100 held out: measured 90% colour, R@10 85-93%; chance is 1/8 and 10%
        assertThat(m.at("/zeroshot/colour").asDouble()).isBetween(0.5, 1.0);
        assertThat(m.at("/zeroshot/shape").asDouble()).isBetween(0.0, 1.0);
        for (String direction : List.of("image_to_text", "text_to_image")) {
            JsonNode r = m.at("/retrieval/" + direction);
            double r1 = r.get("R@1").asDouble(), r5 = r.get("R@5").asDouble(), r10 = r.get("R@10").asDouble();
            assertThat(r1).as(direction + " R@1").isGreaterThan(0.05).isLessThanOrEqualTo(r5);
            assertThat(r5).as(direction + " R@5").isLessThanOrEqualTo(r10);
            assertThat(r10).as(direction + " R@10").isGreaterThan(0.4).isLessThanOrEqualTo(1.0);
            assertThat(r.get("MRR").asDouble()).isGreaterThan(r1 - 1e-12).isLessThanOrEqualTo(1.0);
            assertThat(r.get("median_rank").asDouble()).isGreaterThanOrEqualTo(1.0).isLessThan(50.0);
        }
        assertThat(m.at("/training/steps").asInt()).isEqualTo(60);
        double finalLoss = m.at("/training/final_loss").asDouble();
        List<String> log = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertThat(log).hasSize(60);
        double firstLoss = new ObjectMapper().readTree(log.getFirst()).get("loss").asDouble();
        assertThat(finalLoss).as("the loss fell").isLessThan(0.8 * firstLoss);
        JsonNode data = new ObjectMapper().readTree(out.resolve("data.json").toFile());
        assertThat(data.get("skipped").asInt()).isZero();
        for (String png : List.of("loss.png", "similarity.png")) {
            RgbImage image = ImageDecoder.decode(out.resolve(png));
            assertThat(image.width()).as(png).isGreaterThan(100);
            assertThat(image.height()).as(png).isGreaterThan(100);
        }
        assertThat(console.out()).contains("Zero-shot", "Retrieval", out.toString());
    }
}
