package dev.vireo.models.clip;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The zero-shot-initialised classifier: its logits before training are CLIP's zero-shot logits; it copies only the image side. */
class ClipImageClassifierTest {
    static final int CLASSES = 5;
    /** The tiny CLIP's shape with a vocabulary of 100 ids: quick to build, and the text tower plays no part. */
    static final ClipConfig MICRO = new ClipConfig("micro", 64, ClipConfig.create("tiny").vision(), new TextConfig(16, 100, 32, 1, 2, 2.0, "gelu"));

    /** Random unit rows (K, E): stand-ins for prompt-ensemble class embeddings. */
    static float[] unitRows(int rows, int e, long seed) {
        Rng rng = new Rng(seed);
        float[] v = new float[rows * e];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int k = 0; k < e; k++) norm += (v[r * e + k] = (float) rng.nextGaussian()) * v[r * e + k];
            for (int k = 0; k < e; k++) v[r * e + k] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    static Tensor images(ClipConfig config, int n, long seed) {
        int s = config.vision().imageSize();
        return Tensor.randn(new Rng(seed), 0f, 1f, n, 3, s, s); // (N, 3, S, S)
    }

    @Test
    void initialLogitsAreTheZeroShotClassifiers() {
        ClipConfig config = MICRO;
        ClipModel clip = new ClipModel(config, 7);
        clip.logitScale().value().set(3.2f); // a temperature other than the initial one
        int e = config.embedDim();
        float[] classes = unitRows(CLASSES, e, 8); // (K, E)
        ClipImageClassifier classifier = ClipImageClassifier.zeroShot(clip, classes, CLASSES);
        Tensor x = images(config, 6, 9);
        try (var ignored = GradMode.noGrad()) {
            float[] expected = clip.logits(clip.encodeImage(x), Tensor.of(classes, CLASSES, e)).toArray(); // (N, K)
            float[] actual = classifier.forward(x).toArray();                                             // (N, K)
            assertThat(actual).hasSize(6 * CLASSES);
            for (int i = 0; i < actual.length; i++) assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4f));
        }
        assertThat(classifier.headBias().value().toArray()).containsOnly(0f);
        assertThat((double) classifier.headWeight().value().get(0, 0)).isCloseTo(classes[0] * Math.exp(3.2), within(1e-5));
    }

    @Test
    void holdsTheImageSideOnlyAndCopiesIt() {
        ClipModel clip = new ClipModel(MICRO, 3);
        ClipImageClassifier classifier = ClipImageClassifier.zeroShot(clip, unitRows(CLASSES, 64, 4), CLASSES);
        Map<String, Parameter> own = classifier.namedParameters(), source = clip.namedParameters();
        assertThat(own.keySet()).noneMatch(k -> k.startsWith("text_model") || k.equals("logit_scale"));
        own.forEach((name, p) -> {
            if (name.startsWith("head.")) return;
            assertThat(Arrays.equals(p.value().toArray(), source.get(name).value().toArray())).as(name).isTrue();
            assertThat(p.value()).as(name + " is a copy").isNotSameAs(source.get(name).value());
        });
    }

    @Test
    void refusesClassEmbeddingsOfTheWrongSize() {
        ClipModel clip = new ClipModel(MICRO, 3);
        assertThatThrownBy(() -> ClipImageClassifier.zeroShot(clip, new float[10], CLASSES))
                .hasMessageContaining("10 class-embedding values for 5 classes of 64 dimensions");
    }
}
