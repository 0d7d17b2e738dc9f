package dev.vireo.models.train;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.image.TrainAugment;
import dev.vireo.models.text.ClipTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Augmented batches: different from the held pixels, a pure function of (seed, batch number), any thread count. */
class BatchAugmentTest {
    private static final int SIZE = 16, BATCH = 8, PER = 3 * SIZE * SIZE;
    private static ShapesData data;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() {
        data = ShapesData.split(true, 24, new ShapesWorld.Config(SIZE, 1, 2));
        tokenizer = ClipTokenizer.openai();
    }

    private static BatchSampler sampler(String augment, long seed) {
        return new BatchSampler(data, tokenizer, 32, seed, BatchAugment.of(TrainConfig.Augment.parse(augment), SIZE));
    }

    private static float[] pixels(BatchSampler s, long batchNumber) {
        return s.batch(batchNumber, BATCH).images().toArray();
    }

    @Test
    void augmentationChangesEveryImageAndNoCaption() {
        for (String name : List.of("openclip", "simclr")) {
            BatchSampler plain = sampler("none", 3), augmented = sampler(name, 3);
            for (long b = 0; b < 4; b++) {
                BatchSampler.Batch p = plain.batch(b, BATCH), a = augmented.batch(b, BATCH);
                assertThat(a.ids()).isEqualTo(p.ids());
                float[] pp = p.images().toArray(), ap = a.images().toArray();
                for (int j = 0; j < BATCH; j++) {
                    assertThat(Arrays.copyOfRange(ap, j * PER, (j + 1) * PER)).as(name + " batch " + b + " image " + j)
                            .isNotEqualTo(Arrays.copyOfRange(pp, j * PER, (j + 1) * PER));
                }
            }
        }
    }

    @Test
    void noneGivesTheHeldPixels() {
        float[] batch = pixels(sampler("none", 3), 0), held = new float[PER];
        for (int j = 0; j < BATCH; j++) {
            float[] image = Arrays.copyOfRange(batch, j * PER, (j + 1) * PER);
            boolean found = false;
            for (int i = 0; i < data.size() && !found; i++) {
                data.image(i, held, 0);
                found = Arrays.equals(held, image);
            }
            assertThat(found).as("image " + j + " is one of the data set's, untouched").isTrue();
        }
    }

    @Test
    void sameSeedSamePixelsOtherSeedOtherPixels() {
        BatchSampler a = sampler("simclr", 5), b = sampler("simclr", 5);
        for (long n = 0; n < 4; n++) assertThat(pixels(b, n)).as("batch " + n).isEqualTo(pixels(a, n));
        assertThat(pixels(sampler("simclr", 6), 0)).isNotEqualTo(pixels(sampler("simclr", 5), 0));
    }

    @Test
    void aBatchDependsOnlyOnItsNumberNotOnTheBatchesBeforeIt() {
        BatchSampler straight = sampler("simclr", 9);
        for (long n = 0; n < 5; n++) pixels(straight, n);
        float[] afterFive = pixels(straight, 5);
        assertThat(pixels(sampler("simclr", 9), 5)).isEqualTo(afterFive); // as a resumed run asks for it
    }

    @Test
    void oneAndThreeThreadsGiveTheSameBits() {
        int before = ComputePool.global().threads();
        List<float[]> one = new ArrayList<>(), three = new ArrayList<>();
        try {
            ComputePool.setGlobalThreads(1);
            for (long n = 0; n < 3; n++) one.add(pixels(sampler("simclr", 2), n));
            ComputePool.setGlobalThreads(3);
            for (long n = 0; n < 3; n++) three.add(pixels(sampler("simclr", 2), n));
        } finally {
            ComputePool.setGlobalThreads(before);
        }
        for (int n = 0; n < 3; n++) assertThat(three.get(n)).as("batch " + n).isEqualTo(one.get(n));
    }

    @Test
    void eightBitImagesSurviveTheRoundTripExactly() {
        Rng rng = new Rng(4);
        byte[] rgb = new byte[SIZE * SIZE * 3];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) rng.nextInt(256);
        rgb[0] = 0;
        rgb[1] = (byte) 255;
        float[] chw = new float[PER + 5];
        new ClipPreprocessor(ClipPreprocessConfig.openai(SIZE)).toChannelsFirst(new RgbImage(SIZE, SIZE, rgb), chw, 5);
        assertThat(BatchAugment.toRgb(chw, 5, SIZE).pixels()).isEqualTo(rgb);
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThat(TrainConfig.Augment.ids()).containsExactly("none", "openclip", "simclr");
        assertThat(TrainConfig.Augment.ids().subList(1, 3)).isEqualTo(TrainAugment.list());
        assertThatThrownBy(() -> TrainConfig.Augment.parse("crop-flip"))
                .hasMessage("train: unknown augmentation 'crop-flip'; known: [none, openclip, simclr]");
        assertThatThrownBy(() -> TrainConfig.Loss.parse("triplet")).hasMessage("train: unknown loss 'triplet'; known: [clip, siglip]");
    }
}
