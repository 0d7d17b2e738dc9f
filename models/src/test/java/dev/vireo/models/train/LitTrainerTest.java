package dev.vireo.models.train;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.config.LitConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.lit.LitModel;
import dev.vireo.models.lit.LockedTextTower;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LitTrainerTest {
    static final LitConfig MICRO = new LitConfig("micro-lit", 16, new VisionConfig(16, 8, 32, 1, 2, 2.0, "gelu"), "fake", 24, 0.1);

    @TempDir
    Path dir;

    /** A stand-in for a pretrained tower: a fixed random unit vector per sentence. */
    static LockedTextTower fakeTower() {
        return new LockedTextTower(sentences -> sentences.stream().map(s -> {
            Rng rng = new Rng(s.hashCode());
            float[] v = new float[24];
            double norm = 0;
            for (int i = 0; i < v.length; i++) norm += (v[i] = (float) rng.nextGaussian()) * v[i];
            for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(norm);
            return v;
        }).toArray(float[][]::new), 24);
    }

    /** Each image with its first caption only: eight pairs, eight locked vectors to meet. */
    static ImageTextData firstCaptions(ImageTextData data) {
        return new ImageTextData() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public int imageSize() {
                return data.imageSize();
            }

            @Override
            public void image(int index, float[] dst, int off) {
                data.image(index, dst, off);
            }

            @Override
            public List<String> captions(int index) {
                return List.of(data.captions(index).getFirst());
            }
        };
    }

    @Test
    void aFewStepsAlignImagesToTheLockedVectors() throws Exception {
        ImageTextData data = firstCaptions(ShapesData.split(true, 8, new ShapesWorld.Config(16, 1, 1)));
        LockedTextTower tower = fakeTower();
        TrainConfig cfg = TrainConfig.builder().steps(80).batch(8).lr(3e-3).warmup(2).seed(3).outDir(dir).checkpointEvery(0).build();
        ClipTrainer.Result<LitModel> r = LitTrainer.train(MICRO, tower, data, cfg);
        double first = r.losses().getFirst()[1], last = r.losses().getLast()[1];
        assertThat(last).isLessThan(0.5 * first);
        assertThat(tower.cached()).isEqualTo(8);
        assertThat(dir.resolve(ClipTrainer.CHECKPOINT)).exists();
        assertThat(LitConfig.fromJson(dir.resolve("config.json"))).isEqualTo(MICRO);
    }

    @Test
    void optionsThatMeanNothingForLitAreRefused() {
        ShapesData data = ShapesData.split(true, 8, new ShapesWorld.Config(16, 1, 1));
        TrainConfig plain = TrainConfig.builder().steps(1).batch(8).outDir(dir).build();
        assertThatThrownBy(() -> LitTrainer.train(MICRO, fakeTower(), data, plain.toBuilder().loss(TrainConfig.Loss.SIGLIP).build()))
                .hasMessageContaining("--loss clip only");
        assertThatThrownBy(() -> LitTrainer.train(MICRO, fakeTower(), data, plain.toBuilder().lockImage(true).build()))
                .hasMessageContaining("nothing to learn");
        assertThatThrownBy(() -> LitTrainer.train(MICRO, new LockedTextTower(s -> new float[s.size()][10], 10), data, plain))
                .hasMessageContaining("10-wide vectors");
    }
}
