package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.GroundingCalibration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code vireo demo vl}, {@code pretrain} and {@code itm} end to end on a short run: the run folder and
 * its metrics in range, scores for each pair in order and with --all, a BLIP folder read by the same
 * command, and an unreadable image reported while the others are scored. In the vector-kernel pass only.
 */
class VlCommandsTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void aShortVlDemoThenMatchingWithItsRunFolder() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("vl");
        assertThat(Vireo.run("demo", "vl", "--quick", "--steps", "30", "--train-scenes", "400", "--test-scenes", "40",
                "--objectives", "itc,itm,mlm,mrm,lm", "--swap-negatives", "--caption-steps", "10", "--out", out.toString()))
                .as("%s", console.err()).isZero();
        for (String f : List.of("metrics.json", "metrics.jsonl", "loss.png", "attention.png", "gradcam.png", "grounding.json", "checkpoint.safetensors",
                "config.json", "vocab.txt", "data.json", "clip/checkpoint.safetensors", "caption/checkpoint.safetensors")) {
            assertThat(out.resolve(f)).as("the run folder has %s", f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.at("/itm/accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(m.at("/mlm/accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(m.at("/retrieval/itc/text_to_image/R@10").asDouble()).isGreaterThan(0.25); // chance: 10 of 40
        assertThat(m.at("/retrieval/itc_itm_rerank/text_to_image/R@10").asDouble())
                .isEqualTo(m.at("/retrieval/itc/text_to_image/R@10").asDouble()); // re-ranking reorders the top 10 only
        for (String scorer : List.of("fusion", "itc", "clip")) {
            assertThat(m.at("/compositional/" + scorer + "/group_score").asDouble()).isBetween(0.0, 1.0);
            assertThat(m.at("/compositional/" + scorer + "/count").asInt()).isEqualTo(100);
        }
        assertThat(new ObjectMapper().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).getLast()).has("loss_mrm")).isTrue();
        assertThat(m.at("/mrm/region_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(m.at("/grounding/accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(m.at("/grounding/count").asInt()).isGreaterThan(40); // every shape of 40 scenes
        assertThat(GroundingCalibration.read(out)).as("the settings chosen on other held-out scenes").isPresent()
                .hasValueSatisfying(g -> assertThat(m.at("/grounding/settings").asText()).isEqualTo(g.toString()));
        assertThat(m.at("/training/part_phrases").asBoolean()).isTrue(); // the demo's default
        assertThat(m.at("/grounding_decoder/accuracy").asDouble()).isBetween(0.0, 1.0); // the lm objective gave the model a decoder
        assertThat(m.at("/caption/objects_correct").asDouble()).isBetween(0.0, 1.0); // the lm objective's decoder, greedy
        assertThat(m.at("/caption/CIDEr").isNumber()).isTrue();

        ShapeScene scene = ShapesWorld.test(1, ShapesWorld.Config.of(48)).getFirst();
        Path png = tmp.resolve("scene.png"), broken = tmp.resolve("broken.png");
        ImageIO.write(toImage(scene.renderRgb(), 48), "png", png.toFile());
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        String caption = scene.captions().getFirst();
        assertThat(Vireo.run("itm", "--model", out.toString(), "--image", png.toString(), "--text", caption, "a text", "--json"))
                .as("%s", console.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(console.out().substring(console.out().indexOf("{\n  \"results\""))).get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("text").asText()).isEqualTo(caption);
        for (JsonNode r : results) {
            assertThat(r.get("match_prob").asDouble()).isBetween(0.0, 1.0);
            assertThat(r.get("cosine").asDouble()).isBetween(-1.0, 1.0);
        }
        console.resetOut();
        assertThat(Vireo.run("caption", "--model", out.toString(), "--image", png.toString(), "--beams", "2", "--json"))
                .as("%s", console.err()).isZero();
        JsonNode captioned = new ObjectMapper().readTree(console.out()).get("results").get(0);
        assertThat(captioned.get("ids").get(0).asInt()).isEqualTo(2); // [CLS], the decoder's begin token
        assertThat(captioned.get("text").isTextual()).isTrue();
        console.resetOut();
        assertThat(Vireo.run("locate", "--model", out.toString(), "--image", png.toString(), "--text", "a red circle", "--method", "decoder",
                "--json")).as("%s", console.err()).isZero();
        assertThat(new ObjectMapper().readTree(console.out()).get("box")).hasSize(4);
        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("itm", "--model", out.toString(), "--image", png.toString(), broken.toString(), "--text", "a", "b", "c",
                "--all")).isEqualTo(1);
        JsonNode all = new ObjectMapper().readTree(console.out());
        assertThat(all.get("results")).hasSize(6);
        assertThat(all.get("results").get(3).get("match_prob").isNull()).isTrue();
        assertThat(all.get("errors").get(0).get("image").asText()).endsWith("broken.png");
    }

    @Test
    void pretrainEarlyFusionAndItmOnABlipFolder() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path run = tmp.resolve("early");
        assertThat(Vireo.run("pretrain", "--fusion", "early", "--data", "shapes:64", "--steps", "3", "--batch", "16", "--quiet", "--part-phrases",
                "--out", run.toString())).as("%s", console.err()).isZero();
        assertThat(run.resolve("checkpoint.safetensors")).isRegularFile();
        assertThat(Vireo.run("pretrain", "--fusion", "early", "--objectives", "itc", "--data", "shapes:64", "--steps", "3",
                "--out", tmp.resolve("refused").toString())).isEqualTo(1);
        assertThat(console.err()).contains("early fusion");
        assertThat(Vireo.run("pretrain", "--fusion", "early", "--objectives", "itm,lm", "--data", "shapes:64", "--steps", "3",
                "--out", tmp.resolve("refused-lm").toString())).isEqualTo(1);
        assertThat(console.err()).contains("only mid fusion");

        Path blip = Path.of("../models/src/test/resources/blip/tiny_blip").toAbsolutePath().normalize();
        Path image = Files.list(blip).filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        console.resetOut();
        console.resetErr();
        assertThat(Vireo.run("itm", "--model", blip.toString(), "--image", image.toString(), "--text", "a photo", "--json"))
                .as("%s", console.err()).isZero();
        JsonNode r = new ObjectMapper().readTree(console.out()).get("results").get(0);
        assertThat(r.get("match_prob").asDouble()).isBetween(0.0, 1.0);
        assertThat(r.get("cosine").asDouble()).isBetween(-1.0, 1.0);
    }

    @Test
    void compareFusionWritesItsTablePlotAndRunFolders() throws Exception {
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path out = tmp.resolve("compare");
        assertThat(Vireo.run("compare-fusion", "--quick", "--steps", "8", "--train-scenes", "200", "--test-scenes", "20",
                "--out", out.toString())).as("%s", console.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(out.resolve("comparison.json").toFile());
        assertThat(rows).hasSize(3);
        for (JsonNode r : rows) {
            assertThat(r.get("fusion").asText()).isIn("early", "mid", "late");
            assertThat(r.get("ms_per_pair").asDouble()).isPositive();
            assertThat(r.get("itm_accuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(out.resolve(r.get("fusion").asText()).resolve("checkpoint.safetensors")).isRegularFile();
        }
        // late fusion scores a pair with a small head on two embeddings; early fusion runs a transformer over every pair
        assertThat(rows.get(0).get("ms_per_pair").asDouble()).isLessThan(rows.get(2).get("ms_per_pair").asDouble());
        assertThat(Files.readString(out.resolve("comparison.md"))).contains("| fusion | parameters | ms per pair");
        assertThat(javax.imageio.ImageIO.read(out.resolve("comparison.png").toFile())).isNotNull();
        assertThat(Vireo.run("compare-fusion", "--data", "mnist", "--out", out.toString())).isEqualTo(2);
    }

    private static BufferedImage toImage(byte[] rgb, int side) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int i = (y * side + x) * 3;
                img.setRGB(x, y, (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF));
            }
        }
        return img;
    }
}
