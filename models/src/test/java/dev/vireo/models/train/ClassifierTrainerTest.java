package dev.vireo.models.train;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.clip.ClipImageClassifier;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.ImageSource;
import dev.vireo.models.data.LabelledImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** End-to-end fine-tuning of a classifier: it learns a toy task, leaves its start as it was, and repeats to the bit. */
class ClassifierTrainerTest {
    static final VisionConfig MICRO = new VisionConfig(16, 8, 32, 1, 2, 2.0, "gelu");

    @TempDir
    Path dir;

    /** 8×8 grey images: class 0 bright in the top half, class 1 in the bottom half, with noise. */
    static LabelledImageData halves(int n, long seed) {
        Rng rng = new Rng(seed);
        List<LabelledImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            byte[] px = new byte[64];
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    boolean bright = (y < 4) == (label == 0);
                    px[y * 8 + x] = (byte) Math.max(0, Math.min(255, (bright ? 200 : 40) + (int) (30 * rng.nextGaussian())));
                }
            }
            images.add(new LabelledImage("toy-" + i, new ImageSource.RawPixels("toy-" + i, px, 0, 8, 8, 1), label, label == 0 ? "top" : "bottom"));
        }
        return new LabelledImageData(images, List.of("top", "bottom"), List.of("a {}"), 16);
    }

    TrainConfig config(String name) {
        return TrainConfig.builder().steps(30).batch(8).lr(3e-3).warmup(3).checkpointEvery(0).outDir(dir.resolve(name)).build();
    }

    @Test
    void learnsAToyTaskAndLeavesItsStartAsItWas() throws Exception {
        LabelledImageData train = halves(32, 1), test = halves(16, 2);
        ClipImageClassifier start = new ClipImageClassifier(MICRO, 16, 2, new Rng(3));
        float[] before = start.headWeight().value().toArray();
        var result = ClassifierTrainer.fineTune(start, train, train.labels(), config("a"));
        ClipImageClassifier tuned = result.model();
        double accuracy = Classification.accuracy(Classification.logits(test, 2, tuned::forward), test.size(), 2, test.labels());
        assertThat(accuracy).isEqualTo(1.0);
        assertThat(result.losses().getLast()[1]).isLessThan(result.losses().getFirst()[1]);
        assertThat(start.headWeight().value().toArray()).containsExactly(before);
        assertThat(result.runDir().resolve(ClipTrainer.CHECKPOINT)).exists();
    }

    @Test
    void theSameRunGivesTheSameWeightsToTheBit() throws Exception {
        LabelledImageData train = halves(16, 4);
        ClipImageClassifier start = new ClipImageClassifier(MICRO, 16, 2, new Rng(5));
        TrainConfig cfg = config("b").toBuilder().steps(5).build();
        float[] a = ClassifierTrainer.fineTune(start, train, train.labels(), cfg).model().headWeight().value().toArray();
        float[] b = ClassifierTrainer.fineTune(start, train, train.labels(), cfg.toBuilder().outDir(dir.resolve("c")).build())
                .model().headWeight().value().toArray();
        assertThat(Arrays.equals(a, b)).isTrue();
    }

    @Test
    void refusesLabelsThatDoNotFit() {
        LabelledImageData train = halves(16, 6);
        ClipImageClassifier start = new ClipImageClassifier(MICRO, 16, 2, new Rng(7));
        int[] labels = train.labels();
        labels[3] = 2;
        assertThatThrownBy(() -> ClassifierTrainer.fineTune(start, train, labels, config("d"))).hasMessageContaining("label 2 of image 3 is outside [0, 2)");
        assertThatThrownBy(() -> ClassifierTrainer.fineTune(start, train, new int[3], config("e"))).hasMessageContaining("3 labels for 16 images");
    }
}
