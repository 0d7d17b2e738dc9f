package dev.vireo.engine.tensor;

import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.TransformerBlock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool lends back only what was handed back whole, and a reused array never changes a result. */
class BufferPoolTest {
    private static final int BIG = 1 << 16;

    @AfterEach
    void clear() {
        BufferPool.clear();
    }

    @Test
    void aRecycledArrayIsLentAgainOnceAndOnlyForItsSize() {
        Tensor t = Tensor.of(new float[BIG], BIG);
        BufferPool.recycle(t);
        BufferPool.recycle(t); // twice: still one entry
        assertThat(BufferPool.take(BIG + 1)).isNotSameAs(t.array());
        assertThat(BufferPool.take(BIG)).isSameAs(t.array());
        assertThat(BufferPool.take(BIG)).isNotSameAs(t.array());
    }

    @Test
    void aZeroedTakeClearsAPooledArray() {
        float[] used = new float[BIG];
        java.util.Arrays.fill(used, Float.NaN);
        BufferPool.recycle(used);
        float[] zeros = BufferPool.takeZeroed(BIG);
        assertThat(zeros).isSameAs(used).containsOnly(0f);
        assertThat(BufferPool.takeZeroed(BIG)).isNotSameAs(used).containsOnly(0f); // the pool is empty: a fresh one
    }

    @Test
    void viewsSmallArraysAndTensorsInAGraphAreNotTaken() {
        float[] data = new float[2 * BIG];
        BufferPool.recycle(Tensor.of(data, 2 * BIG).narrow(0, 0, BIG)); // a view of part of an array
        BufferPool.recycle(Tensor.of(data, 2, BIG).transpose(0, 1));    // not contiguous
        float[] small = new float[64];
        BufferPool.recycle(Tensor.of(small, 64));
        Tensor leaf = Tensor.of(new float[BIG], BIG).requiresGrad(true);
        BufferPool.recycle(leaf);
        assertThat(BufferPool.take(BIG)).isNotSameAs(data).isNotSameAs(leaf.array());
        assertThat(BufferPool.take(2 * BIG)).isNotSameAs(data);
        assertThat(BufferPool.take(64)).isNotSameAs(small);
    }

    @Test
    void backwardPassesRecycleTheirGradientsWithoutChangingABit() {
        Rng rng = new Rng(4);
        TransformerBlock block = new TransformerBlock(rng, 64, 4, 256, Activation.GELU);
        Tensor x = Tensor.randn(rng, 0, 1, 4, 70, 64).requiresGrad(true); // (B, T, C)
        float[][] first = null;
        for (int pass = 0; pass < 3; pass++) { // the later passes run on arrays the earlier ones gave back
            block.zeroGrad();
            x.zeroGrad();
            block.forward(x, true, null).mul(x).sum().backward();
            float[][] grads = new float[block.trainableParameters().size() + 1][];
            for (int i = 0; i < grads.length - 1; i++) grads[i] = block.trainableParameters().get(i).grad().toArray();
            grads[grads.length - 1] = x.grad().toArray();
            if (first == null) first = grads;
            else for (int i = 0; i < grads.length; i++) assertThat(grads[i]).as("gradient " + i + ", pass " + pass).containsExactly(first[i]);
        }
    }

    @Test
    void inferenceThroughRecycledActivationsGivesTheSameBits() {
        Rng rng = new Rng(3);
        TransformerBlock block = new TransformerBlock(rng, 64, 4, 256, Activation.QUICK_GELU);
        Tensor x = Tensor.randn(rng, 0, 1, 4, 70, 64); // (B, T, C): activations of 17,920 floats, pooled
        float[] first, second, third;
        try (var ignored = GradMode.noGrad()) {
            first = block.forward(x, true, null).toArray();
            second = block.forward(x, true, null).toArray(); // now on recycled arrays
            third = block.forward(block.forward(x, true, null), true, null).toArray();
        }
        assertThat(second).containsExactly(first);
        BufferPool.clear();
        float[] fresh;
        try (var ignored = GradMode.noGrad()) {
            fresh = block.forward(block.forward(x, true, null), true, null).toArray();
        }
        assertThat(third).containsExactly(fresh);
        // and with a graph recorded, the same numbers
        assertThat(block.forward(x, true, null).toArray()).containsExactly(first);
    }
}
