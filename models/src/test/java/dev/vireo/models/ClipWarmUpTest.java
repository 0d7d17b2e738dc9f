package dev.vireo.models;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Warming a model up (JIT, packed weights) changes none of its results. */
class ClipWarmUpTest {
    private static final Path TINY = Path.of("src/test/resources/hf/tiny-clip");

    @Test
    void featuresAreTheSameBitsBeforeAndAfter() throws Exception {
        try (Clip clip = Clip.load(TINY)) {
            int side = clip.model().config().vision().imageSize();
            float[] pixels = new float[3 * side * side];
            for (int i = 0; i < pixels.length; i++) pixels[i] = (float) Math.sin(i * 0.01);
            float[][] image = clip.encodePreprocessed(pixels, 1);
            float[][] text = clip.encodeTexts(List.of("a red circle"));
            assertThat(clip.warmUp()).isPositive();
            assertThat(clip.encodePreprocessed(pixels, 1)).isEqualTo(image);
            assertThat(clip.encodeTexts(List.of("a red circle"))).isEqualTo(text);
        }
    }
}
