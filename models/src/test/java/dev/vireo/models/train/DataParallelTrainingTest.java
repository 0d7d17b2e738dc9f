package dev.vireo.models.train;

import dev.vireo.engine.distributed.Collective;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.LocalRing;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.ContrastiveObjective;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.text.ClipTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static dev.vireo.engine.testing.Tolerances.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * K ranks (threads of this JVM joined by a ring over 127.0.0.1) training one CLIP on their rows of
 * each global batch follow single-process training on the same global batches step for step: the
 * same losses and final weights within float32 reordering (the batch's gradient is summed in another
 * order; see {@link #KEY_BIAS} for the one exception), every rank's weights bit-identical, and a stopped run resumed by all ranks equal to the
 * uninterrupted one to the bit.
 */
class DataParallelTrainingTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final ShapesData DATA = ShapesData.split(true, 24, new ShapesWorld.Config(16, 1, 2));
    /** About ten times the largest gaps measured over these runs (2.3e-7 relative for the losses, 2.9e-6 for the weights). */
    static final double LOSS_RTOL = 2e-6, WEIGHT_ATOL = 2e-5;
    /**
     * Attention's key biases are left out of the weight comparison: softmax ignores a shift common to a
     * row of logits, so their true gradient is zero, and what backward gives them is rounding noise that
     * AdamW normalises into steps of up to lr. Their noise differs with the summation order; they may
     * drift apart by at most lr per step (measured: up to 8.4e-4 after 6 steps at lr 3e-3).
     */
    static final String KEY_BIAS = "k_proj.bias";

    @TempDir
    Path dir;

    static TrainConfig.Builder config(Path out, String loss, int batch, int accumulation) {
        return ClipTrainerTest.config(out, 6, batch, loss).accumulation(accumulation);
    }

    @ParameterizedTest(name = "{0} loss, {1} ranks, accumulation {3}")
    @CsvSource({"clip, 2, 8, 1", "siglip, 2, 8, 1", "clip, 3, 12, 1", "clip, 2, 8, 2"})
    void ranksFollowSingleProcessTrainingStepForStep(String loss, int ranks, int batch, int accumulation) throws Exception {
        ClipTrainer.Result<ClipModel> single = ClipTrainer.train(ClipTrainerTest.MICRO, DATA, config(dir.resolve("single"), loss, batch, accumulation).build());
        List<ClipTrainer.Result<ClipModel>> parallel = LocalRing.run(ranks, TIMEOUT, c -> ClipTrainer.train(ClipTrainerTest.MICRO, DATA,
                config(dir.resolve("rank" + c.rank()), loss, batch, accumulation).build(), Long.MAX_VALUE, c));

        double lossGap = 0;
        for (int r = 0; r < ranks; r++) {
            List<double[]> losses = parallel.get(r).losses();
            assertThat(losses).hasSameSizeAs(single.losses());
            for (int i = 0; i < losses.size(); i++) {
                assertThat(losses.get(i)[0]).isEqualTo(single.losses().get(i)[0]);
                lossGap = Math.max(lossGap, Math.abs(losses.get(i)[1] - single.losses().get(i)[1]) / Math.abs(single.losses().get(i)[1]));
            }
        }
        double maxAbs = 0, maxRel = 0, keyBiasGap = 0;
        Map<String, Tensor> expected = TrainingLoop.allParameters(single.model());
        for (var e : expected.entrySet()) {
            float[] want = e.getValue().toArray();
            boolean keyBias = e.getKey().endsWith(KEY_BIAS);
            for (int r = 0; r < ranks; r++) {
                float[] got = TrainingLoop.allParameters(parallel.get(r).model()).get(e.getKey()).toArray();
                float[] rank0 = TrainingLoop.allParameters(parallel.getFirst().model()).get(e.getKey()).toArray();
                assertThat(Arrays.equals(got, rank0)).as("%s: rank %d has rank 0's bits", e.getKey(), r).isTrue();
                for (int i = 0; i < want.length; i++) {
                    double gap = Math.abs(got[i] - want[i]);
                    if (keyBias) {
                        keyBiasGap = Math.max(keyBiasGap, gap);
                        continue;
                    }
                    maxAbs = Math.max(maxAbs, gap);
                    maxRel = Math.max(maxRel, gap / Math.max(Math.abs(want[i]), 1e-2));
                }
            }
        }
        System.out.printf("data parallel %s, K=%d, B=%d, accumulation %d, %d steps vs one process: loss max rel diff %.2e; weights max abs"
                        + " diff %.2e, max rel diff %.2e (|w| >= 1e-2); key biases (zero true gradient) max abs diff %.2e%n", loss, ranks, batch,
                accumulation, single.losses().size(), lossGap, maxAbs, maxRel, keyBiasGap);
        assertThat(lossGap).as("per-step loss relative gap").isLessThan(LOSS_RTOL);
        assertThat(maxAbs).as("final weights' largest gap").isLessThan(WEIGHT_ATOL);
        assertThat(keyBiasGap).as("key biases move at most lr per step").isLessThan(3e-3 * single.losses().size());
        // only rank 0 writes the run folder
        assertThat(dir.resolve("rank0").resolve(ClipTrainer.CHECKPOINT)).exists();
        assertThat(dir.resolve("rank0/metrics.jsonl")).exists();
        for (int r = 1; r < ranks; r++) assertThat(Files.exists(dir.resolve("rank" + r))).as("rank %d wrote nothing", r).isFalse();
    }

    /** One step's gradients, summed over the ranks, against one process's for the whole batch (the temperature and logit bias included). */
    @ParameterizedTest(name = "{0} loss, {1} ranks, accumulation {2}")
    @CsvSource({"clip, 2, 1", "siglip, 3, 1", "siglip, 2, 2"})
    void theRanksSummedGradientIsTheWholeBatchs(String lossName, int ranks, int accumulation) throws Exception {
        TrainConfig.Loss kind = TrainConfig.Loss.parse(lossName);
        Map<String, float[]> whole = gradients(kind, accumulation, new DataParallelStep(Collective.single(), kind, accumulation));
        List<Map<String, float[]>> parts = LocalRing.run(ranks, TIMEOUT, c -> gradients(kind, accumulation, new DataParallelStep(c, kind, accumulation)));
        double worst = 0;
        for (int r = 0; r < ranks; r++) {
            Map<String, float[]> got = parts.get(r);
            for (var e : whole.entrySet()) {
                double scale = maxAbs(e.getValue());
                if (scale == 0 || e.getKey().endsWith(KEY_BIAS)) continue; // noise around a zero gradient: see KEY_BIAS
                for (int i = 0; i < e.getValue().length; i++) worst = Math.max(worst, Math.abs(got.get(e.getKey())[i] - e.getValue()[i]) / scale);
            }
            whole.forEach((name, g) -> assertAllClose(lossName + " " + ranks + " ranks: grad of " + name, g, got.get(name), 5e-6 * maxAbs(g) + 1e-7, 0));
            for (String name : whole.keySet()) assertThat(Arrays.equals(got.get(name), parts.getFirst().get(name))).as(name + " same bits on every rank").isTrue();
        }
        System.out.printf("data parallel %s, K=%d, accumulation %d, one step: gradient max abs diff / the parameter's max |grad|: %.2e (key biases aside)%n",
                lossName, ranks, accumulation, worst);
    }

    /** One rank's model, sampler and objective for one step over its rows of a batch of 12. */
    record DataParallelStep(Collective collective, ClipModel model, BatchSampler sampler,
                            ContrastiveObjective objective, int batch) {
        DataParallelStep(Collective collective, TrainConfig.Loss kind, int accumulation) {
            this(collective, new ClipModel(ClipTrainerTest.MICRO.withLogitBias(kind.objective().needsLogitBias()), 7),
                    new BatchSampler(DATA, ClipTokenizer.openai(), 32, 7, BatchAugment.of(TrainConfig.Augment.NONE, 16)),
                    kind.objective(), 12 / accumulation);
        }
    }

    static Map<String, float[]> gradients(TrainConfig.Loss kind, int accumulation, DataParallelStep s) throws IOException {
        int k = s.collective().size(), from = s.collective().rank() * s.batch() / k, to = (s.collective().rank() + 1) * s.batch() / k;
        List<Tensor> lossOnly = TrainingLoop.lossOnlyParameters(s.model(), s.model().logitScale());
        DataParallel parallel = new DataParallel(s.collective(), TrainingLoop.trainable(s.model()).values(), lossOnly);
        TrainingLoop.accumulate(new TrainingLoop.ContrastiveStep() {
            @Override
            public TrainingLoop.Features features(long batchNumber) {
                BatchSampler.Batch b = s.sampler().batch(batchNumber, s.batch()).rows(from, to);
                return new TrainingLoop.Features(s.model().encodeImage(b.images()), s.model().encodeText(b.ids(), to - from, b.length())); // (b, E) each
            }

            @Override
            public Tensor loss(Tensor imageFeatures, Tensor textFeatures) {
                return s.objective().forward(s.model(), imageFeatures, textFeatures); // ()
            }
        }, 1, accumulation, lossOnly, null, parallel);
        parallel.sumGradients();
        Map<String, float[]> grads = new LinkedHashMap<>();
        s.model().namedParameters().forEach((name, p) -> grads.put(name, p.value().gradBuffer().clone()));
        return grads;
    }

    @Test
    void allRanksResumeAStoppedRunToTheUninterruptedRunsBits() throws Exception {
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        LocalRing.run(2, TIMEOUT, c -> ClipTrainer.train(ClipTrainerTest.MICRO, DATA, config(straight, "clip", 8, 1).build(), Long.MAX_VALUE, c));
        LocalRing.run(2, TIMEOUT, c -> ClipTrainer.train(ClipTrainerTest.MICRO, DATA, config(split, "clip", 8, 1).build(), 3, c));
        assertThat(Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT)).step()).isEqualTo(3);
        List<ClipTrainer.Result<ClipModel>> resumed = LocalRing.run(2, TIMEOUT, c -> ClipTrainer.train(ClipTrainerTest.MICRO, DATA,
                config(split, "clip", 8, 1).resume(true).build(), Long.MAX_VALUE, c));
        Checkpoint a = Checkpoint.load(straight.resolve(ClipTrainer.CHECKPOINT)), b = Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT));
        assertThat(b.step()).isEqualTo(6);
        a.model().forEach((name, t) -> assertThat(Arrays.equals(b.model().get(name).toArray(), t.toArray()))
                .as(name + " bit-identical after a resume on both ranks").isTrue());
        assertThat(resumed.get(0).losses()).hasSize(6); // rank 0's log kept the first three steps
        assertThat(resumed.get(1).losses()).hasSize(3); // rank 1 knows the steps it ran
        assertThat(Files.readAllLines(split.resolve("metrics.jsonl"))).hasSize(6);
    }

    @Test
    void aRankThatDiesMidRunStopsTheOthersWithAnIOException() {
        TrainListener dies = new TrainListener() {
            @Override
            public void onStep(Step step) {
                if (step.step() == 2) throw new IllegalStateException("rank 1 died");
            }
        };
        // LocalRing closes a failed rank's collective, as a Spark task's end closes its sockets
        assertThatThrownBy(() -> LocalRing.run(2, TIMEOUT, c -> ClipTrainer.train(ClipTrainerTest.MICRO, DATA,
                config(dir.resolve("dies" + c.rank()), "clip", 8, 1).build(), Long.MAX_VALUE, c, c.rank() == 1 ? new TrainListener[] {dies} : new TrainListener[0])))
                .isInstanceOf(IOException.class).hasMessageStartingWith("rank 0: allGather #").hasMessageContaining("rank 1 closed the connection");
    }

    @Test
    void aBatchThatDoesNotSplitOrRanksThatStartApartAreRefused() throws Exception {
        assertThatThrownBy(() -> LocalRing.run(3, TIMEOUT, c -> ClipTrainer.train(ClipTrainerTest.MICRO, DATA,
                config(dir.resolve("odd"), "clip", 8, 1).build(), Long.MAX_VALUE, c)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("train: the global batch of 8 does not split evenly over 3 ranks");
        // rank 1 was given another seed: its first weights differ, and both ranks say so before training
        assertThatThrownBy(() -> LocalRing.run(2, TIMEOUT, c -> ClipTrainer.train(ClipTrainerTest.MICRO, DATA,
                config(dir.resolve("apart" + c.rank()), "clip", 8, 1).seed(c.rank()).build(), Long.MAX_VALUE, c)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("starts at step 0 with weights #")
                .hasMessageContaining("every rank must see the same run folder, model config and seed");
    }
}
