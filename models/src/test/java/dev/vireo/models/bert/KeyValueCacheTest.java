package dev.vireo.models.bert;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.models.config.BertConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** A masked context: a decoder reading a context padded with garbage under its mask computes what it computes on the context alone. */
class KeyValueCacheTest {
    private static final int C = 16, CC = 12, S = 5;

    private static BertModel decoder() {
        return new BertModel(new Rng(3), new BertConfig(30, C, 2, 4, 32, 12, 0, 1e-12, "gelu", false), CC);
    }

    @Test
    void paddedContextUnderItsMaskReadsAsTheContextAlone() {
        BertModel model = decoder();
        Tensor context = Tensor.randn(new Rng(8), 0f, 1f, 1, S, CC);                       // (1, S, Cc)
        Tensor padded = ShapeOps.concat(1, context, Tensor.randn(new Rng(9), 0f, 5f, 1, 3, CC)); // (1, S + 3, Cc)
        float[] m = new float[S + 3];
        for (int i = 0; i < S; i++) m[i] = 1;
        Tensor mask = Tensor.of(m, 1, S + 3);                                               // (1, S + 3)
        try (var ignored = GradMode.noGrad()) {
            float[] alone = model.forwardCached(new int[] {2, 7, 9}, 1, 3, model.newCache(context)).toArray();
            float[] masked = model.forwardCached(new int[] {2, 7, 9}, 1, 3, model.newCache(padded, mask)).toArray();
            float[] unmasked = model.forwardCached(new int[] {2, 7, 9}, 1, 3, model.newCache(padded)).toArray();
            for (int i = 0; i < alone.length; i++) assertThat(masked[i]).isCloseTo(alone[i], offset(1e-5f));
            double differ = 0;
            for (int i = 0; i < alone.length; i++) differ = Math.max(differ, Math.abs(unmasked[i] - alone[i]));
            assertThat(differ).as("the padding matters without the mask").isGreaterThan(1e-3);
        }
    }

    @Test
    void aMaskOfTheWrongShapeIsRefused() {
        BertModel model = decoder();
        Tensor context = Tensor.randn(new Rng(8), 0f, 1f, 2, S, CC); // (2, S, Cc)
        assertThatThrownBy(() -> model.newCache(context, Tensor.ones(2, S + 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("context mask must be (2, 5)");
    }
}
