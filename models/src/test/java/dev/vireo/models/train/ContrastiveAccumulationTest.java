package dev.vireo.models.train;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.clip.ContrastiveObjective;
import dev.vireo.models.text.ClipTokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static dev.vireo.engine.testing.Tolerances.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Accumulating micro-batches is one larger batch: the same loss and, for every parameter (the
 * temperature and SigLIP's bias included), the same gradient within float32 reordering, for 2 and 4
 * micro-batches.
 */
class ContrastiveAccumulationTest {
    static final int BATCH = 16;

    record Outcome(double loss, Map<String, float[]> grads) {}

    static Outcome step(TrainConfig.Loss kind, int accumulation) {
        ClipConfig config = ClipTrainerTest.MICRO.withLogitBias(kind.objective().needsLogitBias());
        ClipModel model = new ClipModel(config, 7);
        ShapesData data = ShapesData.split(true, 48, new ShapesWorld.Config(16, 1, 2));
        BatchSampler sampler = new BatchSampler(data, ClipTokenizer.openai(), config.text().contextLength(), 7, BatchAugment.of(TrainConfig.Augment.NONE, 16));
        ContrastiveObjective objective = kind.objective();
        int micro = BATCH / accumulation;
        double loss = TrainingLoop.accumulate(new TrainingLoop.ContrastiveStep() {
            @Override
            public TrainingLoop.Features features(long batchNumber) {
                BatchSampler.Batch b = sampler.batch(batchNumber, micro);
                return new TrainingLoop.Features(model.encodeImage(b.images()), model.encodeText(b.ids(), micro, b.length())); // (b, E) each
            }

            @Override
            public Tensor loss(Tensor imageFeatures, Tensor textFeatures) {
                return objective.forward(model, imageFeatures, textFeatures); // ()
            }
        }, 1, accumulation, TrainingLoop.lossOnlyParameters(model, model.logitScale()), null);
        Map<String, float[]> grads = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> grads.put(name, p.value().gradBuffer().clone()));
        return new Outcome(loss, grads);
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip", "siglip"})
    void microBatchesGiveTheGradientOfOneLargerBatch(String loss) {
        TrainConfig.Loss kind = TrainConfig.Loss.parse(loss);
        Outcome whole = step(kind, 1);
        for (int accumulation : new int[] {2, 4}) {
            Outcome parts = step(kind, accumulation);
            assertThat(parts.loss()).as("%s loss with %d micro-batches", loss, accumulation).isCloseTo(whole.loss(), offset(1e-5 * Math.abs(whole.loss())));
            whole.grads().forEach((name, g) -> assertAllClose(loss + " " + accumulation + " micro-batches: grad of " + name,
                    g, parts.grads().get(name), 2e-4 * maxAbs(g) + 1e-7, 0));
        }
    }
}
