package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TransformerBlock#forwardAt}: the rows {@code forward} has at the kept positions, and their gradients. */
class TransformerBlockAtTest {
    private static final int B = 3, T = 7, C = 16;

    /** forward(x) then the row at positions[b] of each sequence: (B, C). */
    private static Tensor rowsOfForward(TransformerBlock block, Tensor x, int[] positions, boolean causal, Tensor pad) {
        int[] rows = new int[positions.length];
        for (int b = 0; b < rows.length; b++) rows[b] = b * T + positions[b];
        return block.forward(x, causal, pad).reshape(B * T, C).indexSelect(0, rows); // (B, C)
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void keptRowsEqualThoseOfTheWholeForward(boolean causal) {
        Rng rng = new Rng(5);
        TransformerBlock block = new TransformerBlock(rng, C, 4, 32, Activation.QUICK_GELU);
        Tensor x = Tensor.randn(rng, 0, 1, B, T, C); // (B, T, C)
        int[] positions = {0, 6, 3};
        Tensor pad = Tensor.of(new float[] {
                1, 1, 1, 1, 1, 1, 1,
                1, 0, 1, 1, 0, 1, 1,
                1, 1, 1, 1, 0, 0, 0}, B, T);
        for (Tensor mask : new Tensor[] {null, pad}) {
            float[] want = rowsOfForward(block, x, positions, causal, mask).toArray();
            Tensor got = block.forwardAt(x, positions, causal, mask); // (B, 1, C)
            assertThat(got.shape()).containsExactly(B, 1, C);
            float[] g = got.toArray();
            assertAllClose("forwardAt, mask " + (mask != null), want, g, 1e-5f, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void forwardWithAttentionGivesForwardsOutputAndStochasticRows(boolean causal) {
        Rng rng = new Rng(8);
        TransformerBlock block = new TransformerBlock(rng, C, 4, 32, Activation.GELU);
        Tensor x = Tensor.randn(rng, 0, 1, B, T, C); // (B, T, C)
        MultiHeadAttention.Output o = block.forwardWithAttention(x, causal);
        assertAllClose("output", block.forward(x, causal, null).toArray(), o.output().toArray(), 1e-5f, 1e-5f);
        assertThat(o.weights().shape()).containsExactly(B, 4, T, T);
        float[] w = o.weights().toArray();
        for (int row = 0; row < B * 4 * T; row++) {
            double sum = 0;
            for (int j = 0; j < T; j++) {
                sum += w[row * T + j];
                if (causal && j > row % T) assertThat(w[row * T + j]).as("a causal query sees no later key").isZero();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void gradientsEqualThoseThroughTheWholeForward() {
        Rng rng = new Rng(6);
        TransformerBlock block = new TransformerBlock(rng, C, 4, 32, Activation.GELU);
        int[] positions = {6, 2, 4};
        Tensor seed = Tensor.randn(rng, 0, 1, B, C); // (B, C): d loss / d output
        Tensor x1 = Tensor.randn(rng, 0, 1, B, T, C).requiresGrad(true);
        rowsOfForward(block, x1, positions, true, null).mul(seed).sum().backward();
        float[] wantX = x1.grad().toArray(), wantW = block.mlp().fc1().weight().value().grad().toArray();
        block.trainableParameters().forEach(Tensor::zeroGrad);
        Tensor x2 = Tensor.of(x1.toArray(), B, T, C).requiresGrad(true);
        block.forwardAt(x2, positions, true, null).reshape(B, C).mul(seed).sum().backward();
        float[] gotX = x2.grad().toArray(), gotW = block.mlp().fc1().weight().value().grad().toArray();
        assertAllClose("dx", wantX, gotX, 1e-5f, 0);
        assertAllClose("d fc1", wantW, gotW, 1e-5f, 0);
    }

    @Test
    void rejectsPositionsThatDoNotFit() {
        TransformerBlock block = new TransformerBlock(new Rng(7), C, 4, 32, Activation.GELU);
        Tensor x = Tensor.zeros(B, T, C);
        assertThatThrownBy(() -> block.forwardAt(x, new int[] {0, 1}, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 positions for a batch of 3");
        assertThatThrownBy(() -> block.forwardAt(x, new int[] {0, 7, 1}, true, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position 7 of sequence 1 outside 0..6");
    }
}
