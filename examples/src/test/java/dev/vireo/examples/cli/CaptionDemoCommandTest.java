package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code vireo demo caption}, {@code finetune --task caption} and {@code vireo caption} on the run folder, on short runs. Vector-kernel pass only. */
class CaptionDemoCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void aShortCaptionDemoThenCaptioningWithItsRunFolder() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("caption");
        assertThat(Vireo.run("demo", "caption", "--quick", "--steps", "20", "--train-scenes", "200", "--test-scenes", "12", "--out", out.toString()))
                .as("%s", console.err()).isZero();
        for (String f : List.of("metrics.json", "metrics.jsonl", "loss.png", "captions.png", "checkpoint.safetensors", "config.json",
                CaptionRuns.VOCAB, CaptionRuns.PROMPT)) {
            assertThat(out.resolve(f)).as("the run folder has %s", f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        for (String key : List.of("Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr", "objects_correct")) assertThat(m.at("/caption/" + key).isNumber()).as(key).isTrue();
        assertThat(m.at("/caption/scenes").asInt()).isEqualTo(12);
        assertThat(m.at("/grounding/accuracy").asDouble()).isBetween(0.0, 1.0); // from the decoder's cross-attention
        assertThat(m.at("/grounding/count").asInt()).isGreaterThanOrEqualTo(12);

        ShapeScene scene = ShapesWorld.test(1, ShapesWorld.Config.of(48)).getFirst();
        BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        byte[] rgb = scene.renderRgb();
        for (int i = 0; i < 48 * 48; i++) image.setRGB(i % 48, i / 48, (rgb[3 * i] & 255) << 16 | (rgb[3 * i + 1] & 255) << 8 | rgb[3 * i + 2] & 255);
        Path png = tmp.resolve("scene.png");
        ImageIO.write(image, "png", png.toFile());
        console.resetOut();
        assertThat(Vireo.run("caption", "--model", out.toString(), "--image", png.toString(), "--beams", "2", "--max-new-tokens", "6", "--json"))
                .as("%s", console.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(console.out()).get("results").get(0);
        assertThat(r.get("ids").get(0).asInt()).isEqualTo(2); // [CLS], the begin token
        assertThat(r.get("ids").size()).isBetween(2, 7);

        console.resetOut();
        Path heat = tmp.resolve("where.png");
        assertThat(Vireo.run("locate", "--model", out.toString(), "--image", png.toString(), "--text", "a red circle", "--json",
                "--out", heat.toString())).as("%s", console.err()).isZero();
        JsonNode box = new ObjectMapper().readTree(console.out()).get("box");
        assertThat(box).hasSize(4);
        assertThat(box.get(2).asDouble()).isGreaterThan(box.get(0).asDouble()).isLessThanOrEqualTo(48);
        assertThat(heat).isRegularFile();
        assertThat(Vireo.run("locate", "--model", out.toString(), "--image", png.toString(), "--text", "a red circle", "--method", "rollout"))
                .isNotZero();
    }

    @Test
    void finetuneTrainsACaptioner() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("ft");
        assertThat(Vireo.run("finetune", "--task", "caption", "--prompt", "a picture of", "--data", "shapes:64", "--steps", "3", "--batch", "8",
                "--quiet", "--out", out.toString())).as("%s", console.err()).isZero();
        assertThat(CaptionRuns.isCaptionRun(out)).isTrue();
        assertThat(Vireo.run("finetune", "--task", "caption", "--from", out.toString(), "--out", tmp.resolve("x").toString())).isNotZero();
        assertThat(console.err()).contains("--from is for vqa");
    }
}
