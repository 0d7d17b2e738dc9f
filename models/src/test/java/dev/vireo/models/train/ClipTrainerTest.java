package dev.vireo.models.train;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClipTrainerTest {
    /** Smaller than "tiny" so the test runs in seconds. */
    static final ClipConfig MICRO = new ClipConfig("micro", 32, new VisionConfig(16, 8, 32, 1, 2, 2.0, "gelu"),
            new TextConfig(16, 49408, 32, 1, 2, 2.0, "gelu"));

    @TempDir
    Path dir;

    static TrainConfig.Builder config(Path out, int steps, int batch, String loss) {
        return TrainConfig.builder().steps(steps).batch(batch).lr(3e-3).warmup(2).seed(7).outDir(out).checkpointEvery(0)
                .loss(TrainConfig.Loss.parse(loss));
    }

    @Test
    void aTextTowerSmallerThanTheTokenizersVocabularyIsRefusedBeforeTraining() {
        ShapesData data = ShapesData.split(true, 8, new ShapesWorld.Config(64, 1, 1));
        assertThatThrownBy(() -> ClipTrainer.train(dev.vireo.models.config.ClipConfig.create("small"), data,
                config(dir.resolve("small"), 2, 8, "clip").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model small has a text vocabulary of 8192 ids").hasMessageContaining("vocabSize 49408");
    }

    @Test
    void aTinyClipOverfitsEightPairs() throws Exception {
        ShapesData data = ShapesData.split(true, 8, new ShapesWorld.Config(16, 1, 1));
        List<String> heard = new ArrayList<>();
        TrainListener listener = new TrainListener() {
            @Override
            public void onStart(Path runDir, long firstStep, long steps) {
                heard.add("start " + firstStep + "/" + steps);
            }

            @Override
            public void onStep(Step step) {
                if (step.step() == 1 || step.step() == step.steps()) heard.add("step " + step.step());
            }

            @Override
            public void onCheckpoint(long step, Path file) {
                heard.add("checkpoint " + step);
            }

            @Override
            public void onEnd(ClipTrainer.Result<?> result) {
                heard.add("end " + result.losses().size());
            }
        };
        ClipTrainer.Result<ClipModel> r = ClipTrainer.train(MICRO, data, config(dir.resolve("a"), 80, 8, "clip").build(), listener);
        double first = r.losses().getFirst()[1], last = r.losses().getLast()[1];
        assertThat(last).isLessThan(0.3 * first);
        assertThat(dir.resolve("a/metrics.jsonl")).exists();
        assertThat(heard).containsExactly("start 0/80", "step 1", "step 80", "checkpoint 80", "end 80");
    }

    @Test
    void aResumeWithChangedSettingsIsRefusedNamingThem() throws Exception {
        ShapesData data = ShapesData.split(true, 24, new ShapesWorld.Config(16, 1, 2));
        Path run = dir.resolve("changed");
        ClipTrainer.train(MICRO, data, config(run, 6, 8, "clip").build(), 3);
        assertThatThrownBy(() -> ClipTrainer.train(MICRO, data, config(run, 6, 4, "clip").resume(true).build()))
                .hasMessageContaining("batch 8 -> 4").hasMessageContaining("run_settings.json");
        assertThatThrownBy(() -> ClipTrainer.train(MICRO, data, config(run, 9, 8, "clip").resume(true).build()))
                .hasMessageContaining("steps 6 -> 9");
        assertThat(Checkpoint.load(run.resolve(ClipTrainer.CHECKPOINT)).step()).isEqualTo(3); // nothing was lost
        ClipTrainer.train(MICRO, data, config(run, 6, 8, "clip").resume(true).build());
        assertThat(Checkpoint.load(run.resolve(ClipTrainer.CHECKPOINT)).step()).isEqualTo(6);
    }

    @Test
    void resumeIsBitExact() throws Exception {
        ShapesData data = ShapesData.split(true, 24, new ShapesWorld.Config(16, 1, 2));
        for (String[] run : new String[][] {{"clip", "none"}, {"siglip", "none"}, {"clip", "simclr"}}) {
            String loss = run[0], augment = run[1], name = loss + "-" + augment;
            Path straight = dir.resolve(name + "-straight"), split = dir.resolve(name + "-split");
            ClipTrainer.train(MICRO, data, config(straight, 6, 8, loss).augment(TrainConfig.Augment.parse(augment)).build());
            ClipTrainer.train(MICRO, data, config(split, 6, 8, loss).augment(TrainConfig.Augment.parse(augment)).build(), 3);
            assertThat(Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT)).step()).isEqualTo(3);
            ClipTrainer.train(MICRO, data, config(split, 6, 8, loss).augment(TrainConfig.Augment.parse(augment)).resume(true).build());
            Checkpoint a = Checkpoint.load(straight.resolve(ClipTrainer.CHECKPOINT));
            Checkpoint b = Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT));
            assertThat(b.step()).isEqualTo(6);
            assertThat(b.model().keySet()).isEqualTo(a.model().keySet());
            assertThat(b.model().containsKey(ClipModel.LOGIT_BIAS)).as(name + " has a logit bias").isEqualTo(loss.equals("siglip"));
            a.model().forEach((param, t) -> assertThat(Arrays.equals(b.model().get(param).toArray(), t.toArray()))
                    .as(name + " " + param + " bit-identical after resume").isTrue());
        }
        // the augmented run really saw other pixels: its weights left the unaugmented run's
        Checkpoint plain = Checkpoint.load(dir.resolve("clip-none-straight").resolve(ClipTrainer.CHECKPOINT));
        Checkpoint augmented = Checkpoint.load(dir.resolve("clip-simclr-straight").resolve(ClipTrainer.CHECKPOINT));
        assertThat(augmented.model().get("visual_projection.weight").toArray())
                .isNotEqualTo(plain.model().get("visual_projection.weight").toArray());
    }

    @Test
    void theSameRunTwiceInOneJvmGivesTheSameBits() throws Exception {
        ShapesData data = ShapesData.split(true, 24, new ShapesWorld.Config(16, 1, 2));
        ClipTrainer.train(MICRO, data, config(dir.resolve("one"), 6, 8, "clip").build());
        ClipTrainer.train(MICRO, data, config(dir.resolve("two"), 6, 8, "clip").build());
        Checkpoint a = Checkpoint.load(dir.resolve("one").resolve(ClipTrainer.CHECKPOINT));
        Checkpoint b = Checkpoint.load(dir.resolve("two").resolve(ClipTrainer.CHECKPOINT));
        a.model().forEach((name, t) -> assertThat(Arrays.equals(b.model().get(name).toArray(), t.toArray()))
                .as(name + " bit-identical in a second run").isTrue());
    }

    @Test
    void oneAndTwoThreadsTrainToTheSameBits() throws Exception {
        ShapesData data = ShapesData.split(true, 24, new ShapesWorld.Config(16, 1, 2));
        int before = ComputePool.global().threads();
        try {
            ComputePool.setGlobalThreads(1);
            ClipTrainer.train(MICRO, data, config(dir.resolve("t1"), 4, 24, "clip").build()); // 24 images: several GEMM row blocks
            ComputePool.setGlobalThreads(2);
            ClipTrainer.train(MICRO, data, config(dir.resolve("t2"), 4, 24, "clip").build());
        } finally {
            ComputePool.setGlobalThreads(before);
        }
        Checkpoint a = Checkpoint.load(dir.resolve("t1").resolve(ClipTrainer.CHECKPOINT));
        Checkpoint b = Checkpoint.load(dir.resolve("t2").resolve(ClipTrainer.CHECKPOINT));
        a.model().forEach((name, t) -> assertThat(Arrays.equals(b.model().get(name).toArray(), t.toArray()))
                .as(name + " bit-identical for 1 and 2 threads").isTrue());
    }

    @Test
    void theBuilderDefaultsAreTheCommandLinesAndLocksFreezeATower() {
        TrainConfig c = TrainConfig.builder().outDir(dir).build();
        assertThat(c).isEqualTo(new TrainConfig(1000, 128, 1, 1e-3, 100, 0.1, 1.0, 0, dir, false, 500, false, false,
                TrainConfig.Loss.CLIP, TrainConfig.Augment.NONE));
        assertThat(TrainConfig.builder().steps(50).outDir(dir).build().warmup()).isEqualTo(5);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThatThrownBy(() -> TrainConfig.builder().build()).hasMessageContaining("outDir");
        ClipModel locked = new ClipModel(MICRO, 0).lockImageTower();
        locked.namedParameters().forEach((name, p) -> assertThat(p.trainable()).as(name)
                .isEqualTo(!name.startsWith("vision_model.") && !name.equals("visual_projection.weight")));
        assertThat(locked.logitBias()).isNull();
        assertThat(new ClipModel(MICRO.withLogitBias(true), 0).namedParameters().keySet()).last().isEqualTo(ClipModel.LOGIT_BIAS);
    }

    @Test
    void badSettingsAreClearErrors() {
        ShapesData data = ShapesData.split(true, 4, new ShapesWorld.Config(16, 1, 1));
        assertThatThrownBy(() -> ClipTrainer.train(MICRO, data, config(dir, 2, 8, "clip").build()))
                .hasMessageContaining("fewer than one batch");
        assertThatThrownBy(() -> config(dir, 2, 8, "triplet").build()).hasMessageContaining("unknown loss 'triplet'");
        ShapesData wrongSize = ShapesData.split(true, 8, new ShapesWorld.Config(32, 1, 1));
        assertThatThrownBy(() -> ClipTrainer.train(MICRO, wrongSize, config(dir, 2, 4, "clip").build()))
                .hasMessageContaining("expects 16");
    }
}
