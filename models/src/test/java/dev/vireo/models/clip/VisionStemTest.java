package dev.vireo.models.clip;

import dev.vireo.engine.autograd.GradCheck;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.hf.HfCheckpoints;
import dev.vireo.models.text.ClipTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The image tower's optional convolutional stem ({@link VisionConfig#stemChannels()}): its weights, gradients, JSON and determinism. */
class VisionStemTest {
    /** 8 px images in patches of 4 (4 tokens and the class token), width 16, one layer, a stem of 3 channels. */
    static final VisionConfig STEM = new VisionConfig(8, 4, 16, 1, 2, 2.0, "gelu", 3);

    static Tensor images(int n, long seed) {
        return Tensor.randn(new Rng(seed), 0f, 1f, n, 3, 8, 8); // (N, 3, 8, 8)
    }

    @Test
    void theStemHasItsWeightsAndThePatchesReadItsChannels() {
        Map<String, Parameter> withStem = new VisionTransformer(new Rng(1), STEM).namedParameters();
        assertThat(withStem.get("embeddings.stem.weight").value().shape()).containsExactly(3, 3, 3, 3);
        assertThat(withStem.get("embeddings.stem.bias").value().shape()).containsExactly(3);
        assertThat(withStem.get("embeddings.patch_embedding.weight").value().shape()).containsExactly(16, 3, 4, 4);
        VisionConfig wide = STEM.withStem(5);
        assertThat(new VisionTransformer(new Rng(1), wide).namedParameters().get("embeddings.patch_embedding.weight").value().shape())
                .containsExactly(16, 5, 4, 4);
        Map<String, Parameter> plain = new VisionTransformer(new Rng(1), STEM.withStem(0)).namedParameters();
        assertThat(plain.keySet()).noneMatch(k -> k.contains("stem"));
        // without a stem the tower draws exactly the weights it drew before the option existed: the stem draws only when present
        Map<String, Parameter> sevenArgs = new VisionTransformer(new Rng(1), new VisionConfig(8, 4, 16, 1, 2, 2.0, "gelu")).namedParameters();
        plain.forEach((name, p) -> assertThat(Arrays.equals(p.value().toArray(), sevenArgs.get(name).value().toArray())).as(name).isTrue());
    }

    @Test
    void pooledFeaturesHaveTheTowersWidthAndAreTheSameBitsForTheSameSeed() {
        Tensor x = images(3, 5);
        try (var ignored = GradMode.noGrad()) {
            float[] a = new VisionTransformer(new Rng(2), STEM).forward(x).toArray(); // (3, 16)
            float[] b = new VisionTransformer(new Rng(2), STEM).forward(x).toArray(); // (3, 16)
            assertThat(a).hasSize(3 * 16).containsExactly(b);
            float[] plain = new VisionTransformer(new Rng(2), STEM.withStem(0)).forward(x).toArray(); // (3, 16)
            assertThat(Arrays.equals(a, plain)).as("the stem changes the features").isFalse();
        }
    }

    @Test
    void gradientsOfTheStemMatchFiniteDifferences() {
        VisionTransformer tower = new VisionTransformer(new Rng(3), STEM);
        Tensor x = images(2, 6);
        Tensor weight = tower.namedParameters().get("embeddings.stem.weight").value(); // (3, 3, 3, 3)
        Tensor bias = tower.namedParameters().get("embeddings.stem.bias").value();     // (3)
        tower.namedParameters().get("embeddings.stem.bias").copyFrom("bias", Tensor.of(new float[] {0.1f, -0.2f, 0.05f}, 3)); // away from zero, so GELU's curvature shows
        // the check nudges the stem's own weights in place; the tower reads them on every forward
        GradCheck.Result r = GradCheck.check(t -> tower.forward(x), new Tensor[] {weight, bias}, 1e-2, 2e-3, 2e-2);
        assertThat(r.ok()).as(r.worst()).isTrue();
    }

    @Test
    void configJsonKeepsTheStemAndOlderConfigsReadAsNone() {
        ClipConfig plain = new ClipConfig("micro", 32, new VisionConfig(8, 4, 16, 1, 2, 2.0, "gelu"), new TextConfig(16, 100, 32, 1, 2, 2.0, "gelu"));
        assertThat(plain.toJson()).doesNotContain("stemChannels");
        assertThat(ClipConfig.fromJson(plain.toJson()).vision().stemChannels()).isZero();
        ClipConfig stem = new ClipConfig("micro", 32, STEM, plain.text());
        assertThat(stem.toJson()).contains("\"stemChannels\" : 3");
        assertThat(ClipConfig.fromJson(stem.toJson())).isEqualTo(stem);
        long held = new ClipModel(stem, 1).namedParameters().values().stream().mapToLong(p -> p.value().numel()).sum();
        assertThat(stem.minimumParameters()).isLessThanOrEqualTo(held);
        assertThatThrownBy(() -> STEM.withStem(-1)).hasMessageContaining("stemChannels");
    }

    @Test
    void aStemTowerIsNotExportedAsAHuggingFaceClip(@TempDir Path dir) {
        ClipConfig stem = new ClipConfig("micro", 32, STEM, new TextConfig(16, 100, 32, 1, 2, 2.0, "gelu"));
        Path out = dir.resolve("hf");
        assertThatThrownBy(() -> HfCheckpoints.save(new ClipModel(stem, 1), ClipTokenizer.openai(), out))
                .hasMessageContaining("convolutional stem (3 channels)");
        assertThat(out).doesNotExist();
    }
}
