package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.VlGrounding;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VlTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** vireo explain and vireo locate on a micro mid-fusion run folder trained here in a few steps. */
class ExplainLocateCommandsTest {
    @TempDir
    static Path shared;

    static Path run;
    static Path picture;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainAMicroRun() throws Exception {
        VlConfig micro = new VlConfig("micro-mid", "mid", 16, new VisionConfig(16, 8, 16, 1, 2, 2.0, "gelu"),
                new BertConfig(400, 16, 2, 2, 32, 24, 2, 1e-12, "gelu", false), 1);
        run = shared.resolve("run");
        VlTrainer.train(micro, VlTrainer.Objectives.parse("itc,itm,mlm"), ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2)),
                TrainConfig.builder().steps(4).batch(8).lr(3e-3).warmup(1).seed(5).outDir(run).checkpointEvery(0).build());
        // a wide picture: the model sees its centre square, resized to 16 px
        BufferedImage img = new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(28, 28, 32));
        g.fillRect(0, 0, 40, 24);
        g.setColor(new Color(220, 40, 40));
        g.fillOval(14, 4, 10, 10);
        g.dispose();
        picture = shared.resolve("red-circle.png");
        ImageIO.write(img, "png", picture.toFile());
    }

    private int run(String... args) {
        return Vireo.run(args);
    }

    @Test
    void explainWritesAnOverlayForEachMethodAndAPanelPerWord() throws Exception {
        int singleHeight = 0;
        for (String method : new String[] {"attention", "rollout", "gradcam"}) {
            Path out = tmp.resolve(method + ".png");
            assertThat(run("explain", "--model", run.toString(), "--image", picture.toString(), "--text", "a red circle", "--method", method,
                    "--out", out.toString())).as(console.err()).isZero();
            BufferedImage png = ImageIO.read(out.toFile());
            assertThat(png).as(method).isNotNull();
            singleHeight = png.getHeight();
        }
        assertThat(console.out()).contains("wrote", "match probability");
        Path words = tmp.resolve("words.png");
        // [CLS] a red circle [SEP]: five panels, in two rows of at most four
        assertThat(run("explain", "--model", run.toString(), "--image", picture.toString(), "--text", "a red circle", "--per-word",
                "--out", words.toString())).isZero();
        assertThat(ImageIO.read(words.toFile()).getHeight()).isGreaterThan(singleHeight);
        Path heads = tmp.resolve("heads.png");
        assertThat(run("explain", "--model", run.toString(), "--image", picture.toString(), "--text", "a red circle", "--method", "attention",
                "--per-head", "--layer", "-1", "--out", heads.toString())).isZero();
        assertThat(ImageIO.read(heads.toFile())).isNotNull();
    }

    @Test
    void locatePrintsABoxInsideTheInputImageAndDrawsIt() throws Exception {
        Path out = tmp.resolve("located.png");
        assertThat(run("locate", "--model", run.toString(), "--image", picture.toString(), "--text", "a red circle", "--json",
                "--out", out.toString())).as(console.err()).isZero();
        JsonNode j = console.json();
        assertThat(j.get("box")).hasSize(4);
        double x0 = j.get("box").get(0).asDouble(), y0 = j.get("box").get(1).asDouble();
        double x1 = j.get("box").get(2).asDouble(), y1 = j.get("box").get(3).asDouble();
        // the model saw the centre 26 px-wide crop of the picture resized to 16 high: x 5·40/26 to 21·40/26 (7.7 to 32.3)
        assertThat(x0).isBetween(7.69, x1);
        assertThat(x1).isBetween(x0, 32.31);
        assertThat(y0).isBetween(0.0, y1);
        assertThat(y1).isBetween(y0, 24.0);
        assertThat(j.get("score").isNumber()).isTrue();
        assertThat(ImageIO.read(out.toFile())).isNotNull();
        console.resetOut();
        assertThat(run("locate", "--model", run.toString(), "--image", picture.toString(), "--text", "a red circle", "--method", "rollout")).isZero();
        assertThat(console.out()).startsWith("\"a red circle\": box ");
    }

    @Test
    void badInputIsOneLineAndAFailure() throws Exception {
        Path notAnImage = Files.writeString(tmp.resolve("notes.png"), "not a picture");
        assertThat(run("locate", "--model", run.toString(), "--image", notAnImage.toString(), "--text", "a red circle", "--json")).isEqualTo(1);
        assertThat(console.err()).contains("cannot decode image").hasLineCount(1);
        console.resetErr();
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThat(run("explain", "--model", empty.toString(), "--image", picture.toString(), "--text", "a red circle", "--out",
                tmp.resolve("x.png").toString())).isEqualTo(1);
        assertThat(console.err()).contains("not a vision-language model folder").hasLineCount(1);
        console.resetErr();
        assertThat(run("locate", "--model", run.toString(), "--image", picture.toString(), "--text", "ζζζ ωω")).isEqualTo(1);
        assertThat(console.err()).contains("has no word the model's vocabulary knows").hasLineCount(1);
        console.resetErr();
        assertThat(run("explain", "--model", run.toString(), "--image", picture.toString(), "--text", "a red circle", "--method", "gradcam",
                "--per-head", "--out", tmp.resolve("y.png").toString())).isEqualTo(2);
        assertThat(console.err()).contains("--per-head").hasLineCount(1);
        console.resetErr();
        assertThat(run("locate", "--model", run.toString(), "--image", picture.toString(), "--text", "a red circle", "--method", "saliency")).isEqualTo(2);
        assertThat(console.err()).contains("not one of attention, rollout, gradcam").hasLineCount(1);
    }

    @Test
    void locateTakesEachSettingNotGivenFromTheRunsCalibration() {
        LocateCommand command = new LocateCommand();
        new CommandLine(command).parseArgs("--model", "m", "--image", "i.png", "--text", "a red circle");
        VlGrounding.Settings calibrated = new VlGrounding.Settings(Explanation.Method.ATTENTION, 1, VlGrounding.Words.CONTENT, 0.3);
        assertThat(command.settings(calibrated)).isEqualTo(calibrated);
        LocateCommand some = new LocateCommand();
        new CommandLine(some).parseArgs("--model", "m", "--image", "i.png", "--text", "a red circle", "--threshold", "0.6", "--method", "gradcam");
        assertThat(some.settings(calibrated)).isEqualTo(new VlGrounding.Settings(Explanation.Method.GRADCAM, 1, VlGrounding.Words.CONTENT, 0.6));
    }
}
