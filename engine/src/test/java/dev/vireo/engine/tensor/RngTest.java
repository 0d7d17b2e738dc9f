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
    void aModelForLoadedWeightsAllocatesNoWeightItIsNotAskedFor() {
        Linear layer = new Linear(Rng.forLoadedWeights(), 4096, 1024, true);
        Tensor w = layer.weight().value();
        assertThat(w.storage().isAllocated()).as("built: nothing zero-filled yet").isFalse();
        assertThat(w.storage().isHeap()).isTrue();
        assertThat(w.get(5, 7)).isZero();
        assertThat(w.storage().isAllocated()).as("read: allocated").isTrue();

        Linear mapped = new Linear(Rng.forLoadedWeights(), 4096, 1024, true);
        Tensor replacement = Tensor.full(0.5f, 1024, 4096);   // (out, in): what a mapped checkpoint hands over
        Tensor before = mapped.weight().value();
        mapped.loadStateDict(java.util.Map.of("weight", replacement, "bias", Tensor.zeros(1024)), true, false);
        assertThat(mapped.weight().value().get(3, 3)).isEqualTo(0.5f);
        assertThat(before.storage().isAllocated()).as("replaced whole: never allocated").isFalse();

        Linear copied = new Linear(Rng.forLoadedWeights(), 8, 4, true);
        copied.loadStateDict(java.util.Map.of("weight", Tensor.full(2f, 4, 8), "bias", Tensor.ones(4)), true, true);
        assertThat(copied.weight().value().toArray()).containsOnly(2f);
        assertThat(copied.bias().value().toArray()).containsOnly(1f);
    }

    @Test
    void lazyStorageGivesOneArrayToEveryThread() throws Exception {
        for (int trial = 0; trial < 20; trial++) {
            Storage s = Storage.lazyZeros(1 << 16);
            float[][] seen = new float[4][];
            Thread[] threads = new Thread[seen.length];
            for (int i = 0; i < threads.length; i++) {
                int id = i;
                threads[i] = new Thread(() -> seen[id] = s.array());
                threads[i].start();
            }
            for (Thread t : threads) t.join();
            for (float[] a : seen) assertThat(a).isSameAs(seen[0]);
        }
    }

    @Test
    void aSeededGeneratorStillDrawsItsStream() {
        Rng a = new Rng(7), b = new Rng(7);
        assertThat(a.forLoadedWeightsOnly()).isFalse();
        assertThat(Tensor.randn(a, 0f, 1f, 16).toArray()).isEqualTo(Tensor.randn(b, 0f, 1f, 16).toArray()).doesNotContain(0f);
    }
}
