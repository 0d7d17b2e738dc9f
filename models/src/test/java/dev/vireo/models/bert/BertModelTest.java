package dev.vireo.models.bert;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Tolerances;
import dev.vireo.models.config.BertConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BERT encoder's structure and masking: HF state-dict names, padding handled by packing the real
 * tokens (each sequence's states those it has alone, zeros at the padding), gradients through the
 * packing, cross-attention to another sequence, and one-line errors for bad input.
 */
class BertModelTest {
    private static final BertConfig TINY = new BertConfig(50, 16, 2, 4, 32, 12, 2, 1e-12, "gelu", true);

    @Test
    void parametersHaveHuggingFaceNames() {
        BertModel m = new BertModel(new Rng(0), TINY, 8);
        assertThat(m.stateDict().keySet()).contains(
                "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "encoder.layer.0.attention.self.query.weight", "encoder.layer.1.attention.self.key.bias",
                "encoder.layer.0.attention.self.value.weight", "encoder.layer.0.attention.output.dense.weight",
                "encoder.layer.0.attention.output.LayerNorm.bias", "encoder.layer.0.crossattention.self.key.weight",
                "encoder.layer.0.intermediate.dense.weight", "encoder.layer.1.output.dense.bias", "encoder.layer.1.output.LayerNorm.weight",
                "pooler.dense.weight");
        assertThat(m.stateDict().get("encoder.layer.0.crossattention.self.key.weight").shape()).containsExactly(16, 8);
    }

    @Test
    void aPaddedBatchGivesEachSequenceItsOwnStates() {
        BertModel m = new BertModel(new Rng(1), TINY);
        int[] a = {1, 7, 9, 4, 2}, b = {1, 30, 2};
        int t = 5;
        int[] ids = new int[2 * t];
        System.arraycopy(a, 0, ids, 0, 5);
        System.arraycopy(b, 0, ids, t, 3);
        Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, t); // (B, T)
        try (var ignored = GradMode.noGrad()) {
            float[] batched = m.forward(ids, null, mask, 2, t).toArray();                  // (2, 5, 16)
            float[] aloneA = m.forward(a, null, null, 1, 5).toArray();                     // (1, 5, 16)
            float[] aloneB = m.forward(b, null, null, 1, 3).toArray();                     // (1, 3, 16)
            Tolerances.assertAllClose("sequence a", aloneA, Arrays.copyOfRange(batched, 0, 80), 2e-6, 0);
            Tolerances.assertAllClose("sequence b", aloneB, Arrays.copyOfRange(batched, 80, 128), 2e-6, 0);
            assertThat(Arrays.copyOfRange(batched, 128, 160)).containsOnly(0f);
        }
    }

    @Test
    void gradientsFlowThroughThePackedTokens() {
        BertModel m = new BertModel(new Rng(2), TINY);
        Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 1, 0}, 2, 3); // (B, T)
        Tensor h = m.forward(new int[] {1, 5, 2, 1, 2, 0}, new int[6], mask, 2, 3); // (2, 3, 16)
        h.mul(h).sum().backward();
        Tensor q = m.namedParameters().get("encoder.layer.0.attention.self.query.weight").value();
        Tensor words = m.namedParameters().get("embeddings.word_embeddings.weight").value();
        assertThat(q.grad()).isNotNull();
        float[] g = words.grad().toArray();
        float padRow = 0;
        for (int c = 0; c < 16; c++) padRow += Math.abs(g[c]); // id 0 appears only as padding
        assertThat(padRow).isZero();
        float used = 0;
        for (int c = 0; c < 16; c++) used += Math.abs(g[5 * 16 + c]);
        assertThat(used).isPositive();
    }

    @Test
    void crossAttentionReadsTheContext() {
        BertModel m = new BertModel(new Rng(3), TINY, 8);
        Rng rng = new Rng(4);
        Tensor ctxA = Tensor.randn(rng, 0, 1, 1, 6, 8), ctxB = Tensor.randn(rng, 0, 1, 1, 6, 8); // (B, S, Cc)
        try (var ignored = GradMode.noGrad()) {
            float[] ha = m.forward(new int[] {1, 3, 2}, null, null, 1, 3, ctxA, null).toArray();
            float[] hb = m.forward(new int[] {1, 3, 2}, null, null, 1, 3, ctxB, null).toArray();
            assertThat(ha).isNotEqualTo(hb);
            Tensor hideLast = Tensor.of(new float[] {1, 1, 1, 1, 1, 0}, 1, 6); // (B, S)
            float[] changed = ctxA.toArray();
            for (int i = 5 * 8; i < 6 * 8; i++) changed[i] += 5f;
            Tensor ctxC = Tensor.of(changed, 1, 6, 8); // (B, S, Cc): only the hidden key differs
            float[] masked = m.forward(new int[] {1, 3, 2}, null, null, 1, 3, ctxA, hideLast).toArray();
            float[] maskedChanged = m.forward(new int[] {1, 3, 2}, null, null, 1, 3, ctxC, hideLast).toArray();
            assertThat(maskedChanged).isEqualTo(masked);
        }
        assertThatThrownBy(() -> m.forward(new int[] {1, 2}, null, null, 1, 2)).hasMessageContaining("needs a context sequence");
    }

    /** BLIP's text encoder: no token type table, and its text-only pass is the encoder without its cross-attention. */
    @Test
    void withoutTokenTypesAndTextOnlyTheCrossAttentionIsSkipped() {
        BertConfig noTypes = new BertConfig(50, 16, 2, 4, 32, 12, 0, 1e-12, "gelu", false);
        BertModel cross = new BertModel(new Rng(6), noTypes, 8);
        BertModel plain = new BertModel(new Rng(7), noTypes);
        assertThat(cross.stateDict().keySet()).noneMatch(k -> k.contains("token_type"));
        var state = new java.util.LinkedHashMap<>(cross.stateDict());
        state.keySet().removeIf(k -> k.contains("crossattention"));
        assertThat(plain.loadStateDict(state, true, true).missing()).isEmpty();
        int[] ids = {1, 7, 9, 4, 2, 1, 30, 2, 0, 0};
        Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 5); // (B, T)
        try (var ignored = GradMode.noGrad()) {
            float[] textOnly = cross.forwardTextOnly(ids, null, mask, 2, 5).toArray(); // (2, 5, 16)
            assertThat(textOnly).containsExactly(plain.forward(ids, null, mask, 2, 5).toArray());
        }
        assertThatThrownBy(() -> plain.forward(new int[] {1, 2}, new int[] {0, 1}, null, 1, 2)).hasMessageContaining("a model without token type embeddings");
        assertThatThrownBy(() -> new BertConfig(50, 16, 2, 4, 32, 12, -1, 1e-12, "gelu", false)).hasMessageContaining("type_vocab_size");
    }

    @Test
    void badInputIsAClearError() {
        BertModel m = new BertModel(new Rng(5), TINY);
        assertThatThrownBy(() -> m.forward(new int[13], null, null, 1, 13)).hasMessageContaining("13 tokens is more than the model's 12 positions");
        assertThatThrownBy(() -> m.forward(new int[] {1, 99}, null, null, 1, 2)).hasMessageContaining("token id 99 outside vocabulary");
        assertThatThrownBy(() -> m.forward(new int[4], null, null, 1, 3)).hasMessageContaining("4 token ids for a batch of 1 x 3");
        assertThatThrownBy(() -> m.forward(new int[2], null, Tensor.zeros(1, 2), 1, 2)).hasMessageContaining("keeps no token");
        assertThat(m.pool(Tensor.zeros(1, 2, 16)).shape()).containsExactly(1, 16);
        BertModel noPooler = new BertModel(new Rng(5), TINY.withPooler(false));
        assertThatThrownBy(() -> noPooler.pool(Tensor.zeros(1, 2, 16))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new BertConfig(50, 18, 2, 4, 32, 12, 2, 1e-12, "gelu", false)).hasMessageContaining("not divisible");
    }
}
