package dev.vireo.models.lit;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.MiniLmTestModel;
import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.clip.ClipLoss;
import dev.vireo.models.config.LitConfig;
import dev.vireo.models.config.VisionConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LitModelTest {
    /** A micro image tower beside MiniLM's 384-wide vectors. */
    static final LitConfig MICRO = new LitConfig("micro-lit", 32, new VisionConfig(16, 8, 32, 1, 2, 2.0, "gelu"), "all-minilm-l6-v2", 384, 0.1);

    @Test
    void towersProjectIntoTheJointSpace() {
        LitModel model = new LitModel(MICRO, 1);
        Tensor images = Tensor.randn(new Rng(2), 0f, 1f, 3, 3, 16, 16); // (B, 3, S, S)
        Tensor sentences = Tensor.randn(new Rng(3), 0f, 1f, 5, 384);    // (B, W)
        assertThat(model.encodeImage(images).shape()).containsExactly(3, 32);
        assertThat(model.encodeText(sentences).shape()).containsExactly(5, 32);
        assertThat(model.logits(model.encodeImage(images), model.encodeText(sentences)).shape()).containsExactly(3, 5);
        assertThatThrownBy(() -> model.encodeText(Tensor.randn(new Rng(4), 0f, 1f, 2, 100)))
                .hasMessageContaining("expects sentence vectors (B, 384)");
    }

    @Test
    void theTextProjectionStartsWithOrthonormalRows() {
        float[] w = new LitModel(MICRO, 5).textProjection().weight().value().toArray(); // (E, W)
        for (int a = 0; a < 32; a++) {
            for (int b = 0; b < 32; b++) {
                double dot = 0;
                for (int k = 0; k < 384; k++) dot += w[a * 384 + k] * w[b * 384 + k];
                assertThat(dot).as("row %d · row %d", a, b).isCloseTo(a == b ? 1 : 0, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void theLockedTowerGetsNoGradientAndItsCacheMatchesEncoding() {
        try (SentenceEncoder minilm = MiniLmTestModel.load()) {
            List<List<String>> calls = new ArrayList<>();
            LockedTextTower tower = new LockedTextTower(sentences -> {
                calls.add(sentences);
                return minilm.encode(sentences);
            }, minilm.dimension());
            List<String> captions = List.of("a photo of a sneaker", "a photo of a bag", "a photo of a sneaker");
            float[] cached = tower.vectors(captions).toArray();              // (3, 384)
            float[] again = tower.vectors(captions.reversed()).toArray();    // (3, 384)
            float[][] direct = minilm.encode(captions);
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 384; k++) {
                    assertThat(cached[i * 384 + k]).isEqualTo(direct[i][k]);
                    assertThat(again[(2 - i) * 384 + k]).isEqualTo(direct[i][k]);
                }
            }
            assertThat(calls).containsExactly(List.of("a photo of a sneaker", "a photo of a bag"));
            assertThat(tower.cached()).isEqualTo(2);

            LitModel model = new LitModel(MICRO, 6);
            Tensor images = Tensor.randn(new Rng(7), 0f, 1f, 3, 3, 16, 16); // (B, 3, S, S)
            Tensor sentences = tower.vectors(captions);                       // (B, W)
            new ClipLoss().forward(model.encodeImage(images), model.encodeText(sentences), model.logitScale().value()).backward();
            assertThat(sentences.requiresGrad()).isFalse();
            for (Parameter p : minilm.model().namedParameters().values()) assertThat(p.value().grad()).isNull();
            assertThat(maxAbs(model.textProjection().weight().value().grad())).isGreaterThan(0);
        }
    }

    @Test
    void anIdOutsideTheCacheIsRefused() {
        LockedTextTower tower = new LockedTextTower(sentences -> new float[sentences.size()][4], 4);
        tower.ids(List.of("one"));
        assertThatThrownBy(() -> tower.vectors(new int[] {1})).hasMessageContaining("no sentence has id 1");
        LockedTextTower wrong = new LockedTextTower(sentences -> new float[sentences.size()][3], 4);
        assertThatThrownBy(() -> wrong.ids(List.of("two"))).hasMessageContaining("gave 3 values");
    }

    private static float maxAbs(Tensor t) {
        float m = 0;
        for (float v : t.toArray()) m = Math.max(m, Math.abs(v));
        return m;
    }
}
