package dev.vireo.engine.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorTest {

    @Test
    void largeStridedCopiesRunInChunksAndMatchElementByElement() {
        // ViT's patch view of a batch (runs of 32 adjacent floats) and a transpose (runs of one),
        // both above the size from which the copy runs in parallel chunks
        Tensor images = Tensor.arange(2 * 3 * 224 * 224).reshape(2, 3, 224, 224);
        Tensor patches = images.reshape(2, 3, 7, 32, 7, 32).permute(0, 2, 4, 1, 3, 5); // (2, 7, 7, 3, 32, 32)
        float[] got = patches.toArray();
        int i = 0;
        for (int b = 0; b < 2; b++) for (int gy = 0; gy < 7; gy++) for (int gx = 0; gx < 7; gx++)
            for (int c = 0; c < 3; c++) for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) {
                assertThat(got[i++]).isEqualTo(images.get(b, c, gy * 32 + y, gx * 32 + x));
            }
        Tensor m = Tensor.arange(701 * 503).reshape(701, 503);
        float[] t = m.transpose(0, 1).toArray(); // (503, 701)
        for (int r = 0; r < 503; r++) for (int c = 0; c < 701; c++) assertThat(t[r * 701 + c]).isEqualTo(c * 503 + r);
        assertThat(Tensor.zeros(0, 5).transpose(0, 1).toArray()).isEmpty();
    }

    @Test
    void viewsShareStorageAndCopyNothing() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        Tensor t = x.transpose(0, 2); // (4, 3, 2)
        assertThat(t.storage()).isSameAs(x.storage());
        assertThat(t.shape()).containsExactly(4, 3, 2);
        assertThat(t.get(3, 2, 1)).isEqualTo(x.get(1, 2, 3));
        assertThat(t.isContiguous()).isFalse();
        Tensor n = x.narrow(1, 1, 2); // (2, 2, 4)
        assertThat(n.storage()).isSameAs(x.storage());
        assertThat(n.toArray()).containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23);
        Tensor e = Tensor.of(new float[] {1, 2, 3}, 1, 3).expand(2, 3);
        assertThat(e.strides()).containsExactly(0, 1);
        assertThat(e.toArray()).containsExactly(1, 2, 3, 1, 2, 3);
        assertThat(t.contiguous().isContiguous()).isTrue();
        assertThat(x.reshape(6, -1).shape()).containsExactly(6, 4);
    }

    @Test
    void errorsNameTheOpAndShapes() {
        assertThatThrownBy(() -> Tensor.zeros(4, 7).matmul(Tensor.zeros(8, 3)))
                .hasMessage("matmul: (4, 7) x (8, 3): inner dimensions 7 and 8 differ");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4)))
                .hasMessageContaining("add: shapes (2, 3) and (4,) do not broadcast");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).reshape(4, 2))
                .hasMessageContaining("reshape: cannot reshape (2, 3)");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).narrow(1, 2, 2)).hasMessageContaining("narrow");
        assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).hasMessageContaining("5 values do not fill shape (2, 3)");
    }

    @Test
    void offHeapStorage() {
        try (Arena arena = Arena.ofConfined()) {
            Storage s = Storage.of(arena.allocate(6 * Float.BYTES, 64));
            Tensor t = new Tensor(s, new int[] {2, 3}, Shapes.contiguousStrides(new int[] {2, 3}), 0);
            t.set(5f, 1, 2);
            assertThat(t.dense().toArray()).containsExactly(0, 0, 0, 0, 0, 5);
            assertThat(t.add(Tensor.ones(2, 3)).toArray()).containsExactly(1, 1, 1, 1, 1, 6);
        }
    }

    @Test
    void autogradAccumulatesFreezesAndDetaches() {
        Tensor w = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        Tensor frozen = Tensor.of(new float[] {3f}, 1);
        Tensor y = w.mul(w).mul(frozen).reshape(); // 3w²
        y.backward();
        assertThat(w.grad().item()).isEqualTo(12f);
        w.mul(frozen).reshape().backward(); // accumulates +3
        assertThat(w.grad().item()).isEqualTo(15f);
        assertThat(frozen.grad()).isNull();
        w.zeroGrad();
        assertThat(w.grad().item()).isZero();
        assertThat(w.mul(2f).detach().requiresGrad()).isFalse();
        try (var ignored = GradMode.noGrad()) {
            assertThat(w.mul(2f).requiresGrad()).isFalse();
        }
        assertThat(w.mul(2f).requiresGrad()).isTrue();
    }

    @Test
    void sharedSubexpressionsGetSummedGradients() {
        Tensor x = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
        Tensor h = x.mul(3f);
        Tensor y = h.mul(h).add(h); // 9x² + 3x
        y.backward(new float[] {1f, 1f});
        assertThat(x.grad().toArray()).containsExactly(21f, -33f);
    }

    @Test
    void rngIsReproducibleAndRestorable() {
        Rng a = new Rng(42), b = new Rng(42);
        for (int i = 0; i < 100; i++) assertThat(a.nextLong()).isEqualTo(b.nextLong());
        long state = a.state();
        double g1 = a.nextGaussian();
        a.setState(state);
        assertThat(a.nextGaussian()).isEqualTo(g1);
    }
}
