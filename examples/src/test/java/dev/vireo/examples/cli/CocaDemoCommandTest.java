package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.coca.CocaRuns;
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

/** {@code vireo demo coca}, {@code finetune --task coca} and {@code vireo caption} on a CoCa run folder, on short runs. Vector-kernel pass only. */
class CocaDemoCommandTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void aShortCocaDemoThenCaptioningWithItsRunFolder() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("coca");
        assertThat(Vireo.run("demo", "coca", "--quick", "--steps", "8", "--batch", "16", "--train-scenes", "64", "--test-scenes", "8",
                "--out", out.toString())).as("%s", console.err()).isZero();
        for (String f : List.of("metrics.json", "metrics.jsonl", "loss.png", "captions.png", "checkpoint.safetensors", "config.json",
                CaptionRuns.VOCAB, CaptionRuns.PROMPT)) {
            assertThat(out.resolve(f)).as("the run folder has %s", f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        for (String key : List.of("Bleu_4", "ROUGE_L", "CIDEr", "objects_correct")) assertThat(m.at("/caption/" + key).isNumber()).as(key).isTrue();
        for (String key : List.of("/retrieval/image_to_text/R@1", "/retrieval/text_to_image/R@1", "/zero_shot/shape_top1")) {
            assertThat(m.at(key).isNumber()).as(key).isTrue();
        }
        assertThat(CocaRuns.isCocaRun(out)).isTrue();
        assertThat(CaptionRuns.isCaptionRun(out)).isFalse();

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
    }

    @Test
    void finetuneTrainsACocaModel() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("ft");
        assertThat(Vireo.run("finetune", "--task", "coca", "--prompt", "a picture of", "--data", "shapes:32", "--steps", "2", "--batch", "8",
                "--quiet", "--out", out.toString())).as("%s", console.err()).isZero();
        assertThat(CocaRuns.isCocaRun(out)).isTrue();
        assertThat(out.resolve("metrics.jsonl")).content().contains("loss_contrastive", "loss_caption");
        assertThat(Vireo.run("finetune", "--task", "coca", "--from", out.toString(), "--out", tmp.resolve("x").toString())).isNotZero();
        assertThat(console.err()).contains("--from is for vqa");
    }
}
