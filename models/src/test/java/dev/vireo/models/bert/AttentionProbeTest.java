package dev.vireo.models.bert;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** The explain path of BertAttention: the fast path's values, the engine's probabilities, and their gradient. */
class AttentionProbeTest {
    private static final BertConfig CONFIG = new BertConfig(20, 12, 1, 3, 24, 16, 2, 1e-12, "gelu", false);

    private static void assertClose(float[] actual, float[] expected, double atol) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) assertThat((double) actual[i]).as("element " + i).isCloseTo(expected[i], offset(atol));
    }

    @Test
    void theExplainPathGivesTheFastPathsValues() {
        BertAttention cross = new BertAttention(new Rng(1), CONFIG, 10);
        BertAttention self = new BertAttention(new Rng(2), CONFIG, 12);
        Tensor x = Tensor.randn(new Rng(3), 0f, 1f, 2, 5, 12);          // (B, T, C)
        Tensor context = Tensor.randn(new Rng(4), 0f, 1f, 2, 7, 10);    // (B, S, Cc)
        Tensor keys = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0}, 2, 7); // (B, S)
        Tensor textMask = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 5);        // (B, T)
        for (boolean recorded : new boolean[] {false, true}) {
            try (GradMode.Scope ignored = recorded ? () -> {} : GradMode.noGrad()) {
                float[] fastCross = cross.forward(x, context, keys).toArray(), fastSelf = self.forward(x, x, textMask).toArray();
                cross.probe(new AttentionProbe());
                self.probe(new AttentionProbe());
                assertClose(cross.forward(x, context, keys).toArray(), fastCross, 1e-6);
                assertClose(self.forward(x, x, textMask).toArray(), fastSelf, 1e-6);
                cross.probe(null);
                self.probe(null);
                assertThat(cross.forward(x, context, keys).toArray()).as("the fast path again once the probe is gone").containsExactly(fastCross);
            }
        }
    }

    @Test
    void probabilitiesAreTheEnginesAndRowsSumToOne() {
        BertAttention cross = new BertAttention(new Rng(5), CONFIG, 10);
        AttentionProbe probe = new AttentionProbe();
        cross.probe(probe);
        Tensor x = Tensor.randn(new Rng(6), 0f, 1f, 2, 4, 12);          // (B, T, C)
        Tensor context = Tensor.randn(new Rng(7), 0f, 1f, 2, 6, 10);    // (B, S, Cc)
        Tensor keys = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1}, 2, 6); // (B, S)
        cross.forward(x, context, keys);
        Tensor p = probe.probabilities();                                // (B, H, T, S)
        assertThat(p.shape()).containsExactly(2, 3, 4, 6);
        float[] v = p.toArray();
        for (int row = 0; row < 2 * 3 * 4; row++) {
            double sum = 0;
            for (int j = 0; j < 6; j++) sum += v[row * 6 + j];
            assertThat(sum).as("row " + row).isCloseTo(1.0, offset(1e-6));
            if (row >= 12) {
                assertThat(v[row * 6 + 1]).as("padding key 1 of the second row").isZero();
                assertThat(v[row * 6 + 4]).as("padding key 4 of the second row").isZero();
            }
        }
        BertAttention.Projections w = (BertAttention.Projections) cross.child("self");
        try (var ignored = GradMode.noGrad()) {
            Tensor q = w.query.forward(x).reshape(2, 4, 3, 4).permute(0, 2, 1, 3);       // (B, H, T, D)
            Tensor k = w.key.forward(context).reshape(2, 6, 3, 4).permute(0, 2, 1, 3);   // (B, H, S, D)
            assertClose(v, Attention.weights(q, k, false, keys, 0.5f).toArray(), 1e-6);
        }
    }

    @Test
    void theGradientReachesTheProbabilitiesOnlyWhenAGraphIsRecorded() {
        BertAttention cross = new BertAttention(new Rng(8), CONFIG, 10);
        AttentionProbe probe = new AttentionProbe();
        cross.probe(probe);
        Tensor x = Tensor.randn(new Rng(9), 0f, 1f, 1, 3, 12);          // (B, T, C)
        Tensor context = Tensor.randn(new Rng(10), 0f, 1f, 1, 5, 10);   // (B, S, Cc)
        assertThatThrownBy(probe::probabilities).hasMessageContaining("no forward pass");
        try (var ignored = GradMode.noGrad()) {
            cross.forward(x, context, null);
        }
        assertThat(probe.gradient()).isNull();
        cross.forward(x, context, null).sum().backward();
        assertThat(probe.gradient().shape()).containsExactly(1, 3, 3, 5);
        assertThat(probe.gradient().abs().sum().item()).isPositive();
    }
}
