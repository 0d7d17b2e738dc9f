package dev.vireo.models.train;

import dev.vireo.models.generate.LanguageModelLoss;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.autograd.Losses;
import dev.vireo.models.caption.CaptionModel;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.caption.ImageCaptioner;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.CaptionEvaluator;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Captioner training: targets skip the prompt and padding, the loss falls, resume is bit-exact, the run folder captions images. */
class CaptionTrainerTest {
    private static final ShapesWorld.Config WORLD = new ShapesWorld.Config(16, 1, 2);

    static CaptionConfig micro() {
        return new CaptionConfig("micro-caption", new VisionConfig(16, 8, 16, 1, 2, 2.0, "gelu"),
                new BertConfig(400, 16, 2, 2, 32, 32, 0, 1e-12, "gelu", false));
    }

    @TempDir
    Path dir;

    @Test
    void targetsArePredictedAfterThePromptAndNeverOnPadding() {
        // rows: [CLS] a picture of red circle [SEP] | [CLS] a picture of cat [SEP] [PAD] ; prompt length 4 ([CLS] a picture of)
        int[] ids = {2, 10, 11, 12, 20, 21, 3, 2, 10, 11, 12, 30, 3, 0};
        int[] targets = LanguageModelLoss.targets(ids, 2, 7, 4, 0);
        int x = Losses.IGNORE_INDEX;
        assertThat(targets).containsExactly(x, x, x, 20, 21, 3, x, x, x, x, 30, 3, x, x);
        assertThat(LanguageModelLoss.targets(ids, 2, 7, 1, 0)).containsExactly(10, 11, 12, 20, 21, 3, x, 10, 11, 12, 30, 3, x, x);
    }

    @Test
    void lossFallsAndTheRunFolderCaptions() throws Exception {
        ShapesData data = ShapesData.split(true, 24, WORLD);
        Path run = dir.resolve("run");
        var r = CaptionTrainer.train(micro(), data, "a picture of", VlTrainerTest.config(run, 60).build());
        double first = 0, last = 0;
        for (int k = 0; k < 5; k++) {
            first += r.losses().get(k)[1];
            last += r.losses().get(r.losses().size() - 1 - k)[1];
        }
        assertThat(last).isLessThan(0.85 * first);
        assertThat(Files.readString(run.resolve(CaptionRuns.PROMPT)).strip()).isEqualTo("a picture of");
        assertThat(CaptionRuns.isCaptionRun(run)).isTrue();
        TrainedCaptioner captioner = TrainedCaptioner.load(run);
        RgbImage image = new RgbImage(16, 16, data.scenes().getFirst().renderRgb());
        List<ImageCaptioner.Caption> captions = captioner.caption(List.of(image, image), "", GenerationConfig.greedy(8));
        int[] prompt = captioner.promptIds(null);
        assertThat(prompt).hasSize(4); // [CLS] a picture of
        for (ImageCaptioner.Caption c : captions) {
            assertThat(Arrays.copyOf(c.ids(), 4)).isEqualTo(prompt);
            assertThat(c.text()).startsWith("a picture of");
        }
        assertThat(captions.get(0).ids()).isEqualTo(captions.get(1).ids()); // the same image, the same greedy caption
        var beams = captioner.caption(List.of(image), "", new GenerationConfig(8, 0, 3, 1.0, false, false, 50, 1.0, 1.0, 1.0, 0));
        assertThat(beams.getFirst().text()).startsWith("a picture of");
        var scored = CaptionEvaluator.evaluate(captioner, ShapesData.split(false, 6, WORLD), GenerationConfig.greedy(8));
        assertThat(scored.captions()).hasSize(6);
        assertThat(scored.metrics()).containsKeys("Bleu_4", "ROUGE_L", "CIDEr");
        assertThat(scored.objectsCorrect()).isBetween(0.0, 1.0);
    }

    @Test
    void resumeIsBitExactAndAnotherPromptIsRefused() throws Exception {
        ShapesData data = ShapesData.split(true, 24, WORLD);
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        CaptionTrainer.train(micro(), data, "", VlTrainerTest.config(straight, 6).build());
        CaptionTrainer.train(micro(), data, "", VlTrainerTest.config(split, 6).build(), 3);
        CaptionTrainer.train(micro(), data, "", VlTrainerTest.config(split, 6).resume(true).build());
        Checkpoint a = Checkpoint.load(straight.resolve(ClipTrainer.CHECKPOINT)), b = Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT));
        assertThat(b.step()).isEqualTo(6);
        a.model().forEach((param, t) -> assertThat(Arrays.equals(b.model().get(param).toArray(), t.toArray())).as(param).isTrue());
        assertThatThrownBy(() -> CaptionTrainer.train(micro(), data, "a photo of", VlTrainerTest.config(split, 6).resume(true).build()))
                .hasMessageContaining("was trained after the prompt '', not 'a photo of'");
        assertThatThrownBy(() -> new CaptionConfig("x", micro().vision(), new BertConfig(400, 16, 2, 2, 32, 32, 2, 1e-12, "gelu", false)))
                .hasMessageContaining("no token types");
    }

    @Test
    void objectsCorrectNeedsEveryObjectByItsColourAndKind() {
        var scene = ShapesWorld.test(40, new ShapesWorld.Config(48, 2, 2)).getFirst();
        var a = scene.shapes().get(0);
        var b = scene.shapes().get(1);
        String right = "a " + a.colour().word() + " " + a.kind().word() + " left of a large " + b.colour().word() + " " + b.kind().word();
        String swapped = "a " + b.colour().word() + " " + a.kind().word() + " left of a " + a.colour().word() + " " + b.kind().word();
        assertThat(CaptionEvaluator.objectsCorrect(right, scene.shapes())).isTrue();
        assertThat(CaptionEvaluator.objectsCorrect(swapped, scene.shapes())).isFalse();
        assertThat(CaptionEvaluator.objectsCorrect("a " + a.colour().word() + " " + a.kind().word(), scene.shapes())).isFalse();
        assertThat(CaptionEvaluator.objectsCorrect("a " + a.kind().word() + " and a " + b.colour().word() + " " + b.kind().word(), scene.shapes())).isFalse();
    }
}
