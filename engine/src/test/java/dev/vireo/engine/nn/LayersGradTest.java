package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.GradCheck;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** Finite-difference checks of every layer, with respect to its input and all of its parameters. */
class LayersGradTest {
    private final Rng rng = new Rng(11);

    private void check(Module layer, Tensor x, Function<Tensor, Tensor> forward) {
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x.requiresGrad(true));
        inputs.addAll(layer.trainableParameters());
        // perturb the layer norms' weights away from 1/0 so their gradients are non-trivial
        GradCheck.Result r = GradCheck.check(t -> forward.apply(t[0]), inputs.toArray(Tensor[]::new), 1e-2, 3e-3, 3e-2);
        assertThat(r.ok()).as(layer.getClass().getSimpleName() + ": " + r.worst()).isTrue();
    }

    @Test
    void linearAndMlp() {
        Linear lin = new Linear(rng, 5, 3, true);
        check(lin, Tensor.randn(rng, 0, 1, 2, 4, 5), lin::forward);
        Mlp mlp = new Mlp(rng, 4, 8, Activation.QUICK_GELU);
        check(mlp, Tensor.randn(rng, 0, 1, 3, 4), mlp::forward);
    }

    @Test
    void layerNormAndEmbedding() {
        LayerNorm ln = new LayerNorm(6);
        ln.namedParameters().get("weight").copyFrom("w", Tensor.randn(rng, 1, 0.3f, 6));
        check(ln, Tensor.randn(rng, 0, 2, 3, 6), ln::forward);
        Embedding emb = new Embedding(rng, 7, 4, 1f);
        check(emb, Tensor.zeros(1), x -> emb.forward(new int[] {3, 0, 3, 6}, 2, 2).mul(x.reshape().add(2f)));
    }

    @Test
    void attentionSelfCausalPaddedAndCross() {
        MultiHeadAttention mha = new MultiHeadAttention(rng, 8, 2);
        Tensor x = Tensor.randn(rng, 0, 1, 2, 3, 8);
        check(mha, x, t -> mha.forward(t, false, null));
        check(mha, x, t -> mha.forward(t, true, null));
        Tensor pad = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
        check(mha, x, t -> mha.forward(t, false, pad));
        Tensor ctx = Tensor.randn(rng, 0, 1, 2, 5, 8);
        check(mha, x, t -> mha.forward(t, ctx, false, null, false).output());
    }

    @Test
    void transformerBlockAndPatchEmbedding() {
        TransformerBlock block = new TransformerBlock(rng, 8, 2, 16, Activation.GELU);
        check(block, Tensor.randn(rng, 0, 1, 2, 3, 8), t -> block.forward(t, true, null));
        check(block, Tensor.randn(rng, 0, 1, 2, 3, 8), t -> block.forwardAt(t, new int[] {2, 1}, true, null));
        check(block, Tensor.randn(rng, 0, 1, 2, 3, 8), t -> block.forwardAt(t, new int[] {0, 0}, false, null));
        PatchEmbedding pe = new PatchEmbedding(rng, 3, 2, 5);
        check(pe, Tensor.randn(rng, 0, 1, 2, 3, 4, 4), pe::forward);
    }

    @Test
    void causalMaskHidesTheFuture() {
        MultiHeadAttention mha = new MultiHeadAttention(rng, 8, 2);
        Tensor x = Tensor.randn(rng, 0, 1, 1, 5, 8);
        float[] before = mha.forward(x, true, null).toArray();
        Tensor changed = Tensor.of(x.toArray(), 1, 5, 8);
        for (int c = 0; c < 8; c++) changed.set(changed.get(0, 4, c) + 3f, 0, 4, c); // perturb the last token
        float[] after = mha.forward(changed, true, null).toArray();
        for (int i = 0; i < 4 * 8; i++) assertThat(after[i]).isEqualTo(before[i]);  // earlier tokens unchanged
        assertThat(after[4 * 8]).isNotEqualTo(before[4 * 8]);
    }

    @Test
    void attentionWeightsAreRowStochasticAndRespectPadding() {
        MultiHeadAttention mha = new MultiHeadAttention(rng, 4, 2);
        Tensor x = Tensor.randn(rng, 0, 1, 1, 3, 4);
        Tensor pad = Tensor.of(new float[] {1, 0, 1}, 1, 3);
        Tensor w = mha.forward(x, x, false, pad, true).weights(); // (1, 2, 3, 3)
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 3; i++) {
                assertThat(w.get(0, h, i, 1)).isZero();
                assertThat(w.get(0, h, i, 0) + w.get(0, h, i, 2)).isCloseTo(1f, offset(1e-6f));
            }
        }
    }
}
