package dev.vireo.spark;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two barrier tasks train one CLIP as one process does, step for step within float rounding, and resume from its checkpoint. */
class TrainJobTest {
    @TempDir
    Path tmp;

    private TrainJob.Settings settings(Path config, long stopAt, Path out, boolean resume) {
        return new TrainJob.Settings(config.toString(), "shapes:48", tmp.toString(), 16, 4, 1, 3e-3, 1, 0.1, 1.0, 7, 2, resume,
                "clip", "none", out.toString(), false, stopAt);
    }

    @Test
    void twoTasksTrainWhatOneProcessTrains() throws Exception {
        Path config = tmp.resolve("micro.json");
        Files.writeString(config, EvalJobTest.MICRO.toJson());
        TrainJob.Summary two = TrainJob.run(TestSpark.session(), 2, settings(config, 4, tmp.resolve("two"), false));
        assertThat(two.tasks()).isEqualTo(2);
        assertThat(two.steps()).isEqualTo(4);

        TrainJob.Settings s = settings(config, 4, tmp.resolve("one"), false);
        ClipTrainer.Result<?> one = ClipTrainer.train(EvalJobTest.MICRO,
                dev.vireo.examples.data.DataSpecs.load("shapes:48", true, 16, tmp), s.config());
        assertThat(two.finalLoss()).isCloseTo(one.losses().getLast()[1], org.assertj.core.data.Offset.offset(2e-6 * Math.abs(two.finalLoss())));

        Map<String, Tensor> a = Checkpoint.load(tmp.resolve("two").resolve(ClipTrainer.CHECKPOINT)).model();
        Map<String, Tensor> b = Checkpoint.load(tmp.resolve("one").resolve(ClipTrainer.CHECKPOINT)).model();
        assertThat(a.keySet()).isEqualTo(b.keySet());
        double worst = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name).toArray(), y = b.get(name).toArray();
            // a key bias has no true gradient (softmax ignores a shift shared by all keys): AdamW amplifies rounding noise there
            double bound = name.endsWith("k_proj.bias") ? 4 * 3e-3 : 2e-5;
            for (int i = 0; i < x.length; i++) {
                assertThat((double) Math.abs(x[i] - y[i])).as(name).isLessThanOrEqualTo(bound);
                if (!name.endsWith("k_proj.bias")) worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        System.out.printf("spark train, 2 tasks vs 1 process, 4 steps: final loss %.7f vs %.7f, largest weight difference %.2e%n",
                two.finalLoss(), one.losses().getLast()[1], worst);

        // a run stopped at step 2, then resumed from its checkpoint, ends on the uninterrupted run's bits
        TrainJob.run(TestSpark.session(), 2, settings(config, 2, tmp.resolve("resumed"), false));
        assertThat(TrainJob.run(TestSpark.session(), 2, settings(config, 4, tmp.resolve("resumed"), true)).finalLoss()).isEqualTo(two.finalLoss());
        Map<String, Tensor> c = Checkpoint.load(tmp.resolve("resumed").resolve(ClipTrainer.CHECKPOINT)).model();
        for (String name : a.keySet()) assertThat(c.get(name).toArray()).as(name).isEqualTo(a.get(name).toArray());

        assertThatThrownBy(() -> TrainJob.run(TestSpark.session(), 3, settings(config, 4, tmp.resolve("x"), false)))
                .hasMessageContaining("does not split into 3");
        // an error inside the tasks comes back as the cause, in one line, not as Spark's "barrier stage failed"
        Files.writeString(config, EvalJobTest.MICRO.toJson().replace("49408", "8192"));
        assertThatThrownBy(() -> TrainJob.run(TestSpark.session(), 2, settings(config, 4, tmp.resolve("y"), false)))
                .hasMessageStartingWith("train: task 0 of 2 stopped: train: model micro has a text vocabulary of 8192 ids")
                .hasMessageNotContaining("\n");
    }
}
