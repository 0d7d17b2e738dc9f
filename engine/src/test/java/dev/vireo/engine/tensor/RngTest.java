package dev.vireo.engine.tensor;

import dev.vireo.engine.nn.Linear;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator for models whose weights are loaded draws nothing; a seeded one is unchanged by it. */
class RngTest {
    @Test
    void aModelForLoadedWeightsIsBuiltWithZerosAndDrawsNothing() {
        Rng loading = Rng.forLoadedWeights();
        Linear layer = new Linear(loading, 5, 3, true);
        assertThat(layer.weight().value().toArray()).containsOnly(0f);
        assertThat(Tensor.randn(loading, 1f, 2f, 4).toArray()).containsOnly(0f);
        assertThat(loading.fork()).isSameAs(loading);
        assertThatThrownBy(loading::nextFloat).isInstanceOf(IllegalStateException.class).hasMessageContaining("draws nothing");
        assertThatThrownBy(() -> loading.shuffle(new int[] {1, 2})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSeededGeneratorStillDrawsItsStream() {
        Rng a = new Rng(7), b = new Rng(7);
        assertThat(a.forLoadedWeightsOnly()).isFalse();
        assertThat(Tensor.randn(a, 0f, 1f, 16).toArray()).isEqualTo(Tensor.randn(b, 0f, 1f, 16).toArray()).doesNotContain(0f);
    }
}
