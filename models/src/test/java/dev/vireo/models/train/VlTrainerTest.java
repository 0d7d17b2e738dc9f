package dev.vireo.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.ImageTextMatcher;
import dev.vireo.models.vl.VlMatcher;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlPretraining;
import dev.vireo.models.vl.VlRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** VL pretraining: every objective's loss falls and is logged, resume is bit-exact, the run folder loads and scores pairs. */
class VlTrainerTest {
    static VlConfig micro(String fusion) {
        return new VlConfig("micro-" + fusion, fusion, 16, new VisionConfig(16, 8, 16, fusion.equals("early") ? 0 : 1, 2, 2.0, "gelu"),
                new BertConfig(400, 16, 2, 2, 32, 24, 2, 1e-12, "gelu", false), fusion.equals("late") ? 0 : 1);
    }

    @TempDir
    Path dir;

    static TrainConfig.Builder config(Path out, int steps) {
        return TrainConfig.builder().steps(steps).batch(8).lr(3e-3).warmup(2).seed(11).outDir(out).checkpointEvery(0);
    }

    @Test
    void theLanguageModellingObjectiveTeachesTheDecoderToCaption() throws Exception {
        ShapesData data = ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2));
        Path run = dir.resolve("lm");
        ClipTrainer.Result<VlModel> r = VlTrainer.train(micro("mid"), VlTrainer.Objectives.parse("itm,lm"), data, config(run, 60).build());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        ObjectMapper json = new ObjectMapper();
        double first = json.readTree(lines.getFirst()).get("loss_lm").asDouble(), last = json.readTree(lines.getLast()).get("loss_lm").asDouble();
        assertThat(last).isLessThan(0.6 * first);
        assertThat(r.model().hasDecoder()).isTrue();
        VlRuns.Loaded loaded = VlRuns.load(run);
        assertThat(loaded.model().config().decoder()).isTrue();
        var captioner = new dev.vireo.models.caption.TrainedCaptioner(loaded.model(), loaded.tokenizer(), "");
        var scene = data.scenes().getFirst();
        var captions = captioner.caption(List.of(new RgbImage(16, 16, scene.renderRgb())), "",
                dev.vireo.models.generate.GenerationConfig.greedy(12));
        assertThat(captions.getFirst().ids()[0]).isEqualTo(loaded.tokenizer().clsId());
        assertThat(captions.getFirst().text()).isNotBlank();
        assertThatThrownBy(() -> VlTrainer.train(micro("early"), VlTrainer.Objectives.parse("itm,lm"), data, config(dir.resolve("e"), 2).build()))
                .hasMessageContaining("only mid fusion");
    }

    @Test
    void lossesFallAndEachObjectiveIsLogged() throws Exception {
        ShapesData data = ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2));
        ClipTrainer.Result<VlModel> r = VlTrainer.train(micro("mid"), VlTrainer.Objectives.parse("itc,itm,mlm"), data,
                config(dir.resolve("mid"), 60).build());
        double first = 0, last = 0;
        for (int k = 0; k < 5; k++) {
            first += r.losses().get(k)[1];
            last += r.losses().get(r.losses().size() - 1 - k)[1];
        }
        // 16 scenes in batches of 8 repeat often, and ITC shares a row's target among its repeats: it cannot fall below log 2 on them
        assertThat(last).isLessThan(0.85 * first);
        List<String> lines = Files.readAllLines(dir.resolve("mid/metrics.jsonl"));
        JsonNode line = new ObjectMapper().readTree(lines.getLast());
        assertThat(line.has("loss_itc") && line.has("loss_itm") && line.has("loss_mlm")).isTrue();
        assertThat(line.get("loss").asDouble()).isCloseTo(line.get("loss_itc").asDouble() + line.get("loss_itm").asDouble()
                + line.get("loss_mlm").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        List<String> vocab = Files.readAllLines(dir.resolve("mid").resolve(VlRuns.VOCAB));
        assertThat(vocab).startsWith("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]").contains("circle", "left", "##e");
        assertThat(r.model().config().text().vocabSize()).isEqualTo(vocab.size());
    }

    @Test
    void maskedRegionModellingLearnsOnTheShapesLabels() throws Exception {
        ShapesData data = ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2));
        for (String fusion : new String[] {"mid", "early"}) {
            Path run = dir.resolve("mrm-" + fusion);
            ClipTrainer.Result<VlModel> r = VlTrainer.train(micro(fusion), VlTrainer.Objectives.parse("itm,mrm"), data, config(run, 30).build());
            assertThat(r.model().config().regionClasses()).isEqualTo(dev.vireo.models.data.shapes.ShapeScene.regionClasses());
            JsonNode first = new ObjectMapper().readTree(Files.readAllLines(run.resolve("metrics.jsonl")).getFirst());
            JsonNode last = new ObjectMapper().readTree(Files.readAllLines(run.resolve("metrics.jsonl")).getLast());
            assertThat(last.get("loss_mrm").asDouble()).as(fusion).isLessThan(0.8 * first.get("loss_mrm").asDouble());
            var regions = new dev.vireo.models.eval.VlEvaluator(new dev.vireo.models.vl.VlScorer(VlRuns.load(run).model(),
                    VlRuns.load(run).tokenizer())).maskedRegions(ShapesData.split(false, 8, new ShapesWorld.Config(16, 1, 2)), 3);
            assertThat(regions.patches()).isPositive();
            assertThat(regions.colourAccuracy()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void resumeIsBitExactForEveryFusion() throws Exception {
        ShapesData data = ShapesData.split(true, 24, new ShapesWorld.Config(16, 1, 2));
        for (String fusion : new String[] {"early", "mid", "late"}) {
            var objectives = switch (fusion) {
                case "early" -> VlTrainer.Objectives.parse("itm,mlm,mrm");
                case "mid" -> VlTrainer.Objectives.parse("itc,itm,mlm").withSwapNegatives(true).withMomentumDistill(true);
                default -> VlTrainer.Objectives.parse("itc,itm,mlm,mrm");
            };
            Path straight = dir.resolve(fusion + "-straight"), split = dir.resolve(fusion + "-split");
            VlTrainer.train(micro(fusion), objectives, data, config(straight, 6).build());
            VlTrainer.train(micro(fusion), objectives, data, config(split, 6).build(), 3);
            VlTrainer.train(micro(fusion), objectives, data, config(split, 6).resume(true).build());
            Checkpoint a = Checkpoint.load(straight.resolve(ClipTrainer.CHECKPOINT)), b = Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT));
            assertThat(b.step()).isEqualTo(6);
            a.model().forEach((param, t) -> assertThat(Arrays.equals(b.model().get(param).toArray(), t.toArray()))
                    .as(fusion + " " + param + " bit-identical after resume").isTrue());
        }
        assertThatThrownBy(() -> VlTrainer.train(micro("mid"), VlTrainer.Objectives.parse("itc,itm,mlm"), data,
                config(dir.resolve("mid-split"), 6).resume(true).build())).hasMessageContaining("trained itc,itm,mlm +swap +momentum, not itc,itm,mlm");
    }

    @Test
    void theRunFolderLoadsAndScoresPairs() throws Exception {
        ShapesData data = ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2));
        Path run = dir.resolve("run");
        VlTrainer.train(micro("mid"), VlTrainer.Objectives.parse("itc,itm"), data, config(run, 4).build());
        assertThat(VlRuns.isVlRun(run)).isTrue();
        RgbImage image = new RgbImage(16, 16, data.scenes().getFirst().renderRgb());
        try (VlMatcher matcher = VlMatcher.load(run)) {
            List<ImageTextMatcher.PairScore> scores = matcher.scorePairs(List.of(image, image), List.of("a red circle", "Zebra!"));
            for (ImageTextMatcher.PairScore s : scores) {
                assertThat(s.matchProbability()).isBetween(0.0, 1.0);
                assertThat(s.cosine()).isBetween(-1.0, 1.0);
            }
        }
        Files.writeString(run.resolve(VlRuns.VOCAB), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        assertThatThrownBy(() -> VlRuns.load(run)).hasMessageContaining("holds 5 tokens but config.json says");
    }

    @Test
    void momentumDistillationTrainsAndKeepsItsStateInTheCheckpoint() throws Exception {
        ShapesData data = ShapesData.split(true, 24, new ShapesWorld.Config(16, 1, 2));
        Path run = dir.resolve("momentum");
        ClipTrainer.Result<VlModel> r = VlTrainer.train(micro("late"), VlTrainer.Objectives.parse("itc,itm,mlm").withMomentumDistill(true),
                data, config(run, 12).build());
        for (double[] loss : r.losses()) assertThat(loss[1]).isFinite();
        Checkpoint c = Checkpoint.load(run.resolve(ClipTrainer.CHECKPOINT));
        assertThat(c.ema().type()).isEqualTo(dev.vireo.models.vl.MomentumDistillation.TYPE);
        assertThat(c.ema().scalar("queue_filled")).isEqualTo("96"); // 12 steps of 8, under the queue's length
        // the momentum weights trail the model's: equal at the start, apart after training
        assertThat(c.ema().tensors().get("ema.vision_proj.weight").toArray()).isNotEqualTo(c.model().get("vision_proj.weight").toArray());
        assertThatThrownBy(() -> VlTrainer.train(micro("early"), VlTrainer.Objectives.parse("itm").withMomentumDistill(true), data,
                config(dir.resolve("early-momentum"), 2).build())).hasMessageContaining("early fusion");
    }

    @Test
    void theImageTowerCanStartFromACaptioners() throws Exception {
        Path captioner = dir.resolve("captioner");
        CaptionTrainer.train(new dev.vireo.models.config.CaptionConfig("micro-caption", micro("mid").vision(), CaptionTrainerTest.micro().text()),
                ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2)), "", config(captioner, 3).build());
        var r = VlTrainer.train(micro("mid"), VlTrainer.Objectives.parse("itc,itm,mlm"), ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2)),
                config(dir.resolve("vl"), 2).lr(1e-12).build(), 1, captioner);
        var tower = dev.vireo.models.caption.CaptionRuns.load(captioner).model().namedParameters();
        float[] now = r.model().namedParameters().get("vision_model.embeddings.patch_embedding.weight").value().toArray();
        float[] copied = tower.get("vision_model.embeddings.patch_embedding.weight").value().toArray();
        for (int i = 0; i < now.length; i++) assertThat(now[i]).isCloseTo(copied[i], org.assertj.core.data.Offset.offset(1e-6f));
        assertThatThrownBy(() -> VlTrainer.train(micro("early"), VlTrainer.Objectives.parse("itm"), ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2)),
                config(dir.resolve("early"), 2).build(), 2, captioner)).hasMessageContaining("has another image tower");
    }

    @Test
    void refusesWhatPretrainingCannotDo() {
        ShapesData data = ShapesData.split(true, 16, new ShapesWorld.Config(16, 1, 2));
        assertThatThrownBy(() -> VlTrainer.train(micro("early"), VlTrainer.Objectives.parse("itc,itm"), data, config(dir.resolve("e"), 2).build()))
                .hasMessageContaining("early fusion");
        assertThatThrownBy(() -> VlPretraining.Objective.parse("itc,mrx")).hasMessageContaining("unknown objective 'mrx'");
        assertThatThrownBy(() -> VlTrainer.train(micro("mid"), VlTrainer.Objectives.parse("itm"), data,
                config(dir.resolve("s"), 2).loss(TrainConfig.Loss.SIGLIP).build())).hasMessageContaining("--loss siglip");
    }
}
