package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.CpuProvider;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-attention without gradients runs its query, key and value projections as one product where the
 * provider stacks registered weights: the output is the bits of three products, on its first call
 * (the stacked weights as they are), its second (packed) and after, at every kernel width, and where
 * the provider keeps no packed weights (no stacking).
 */
class MultiHeadAttentionStackedTest {
    private static final int B = 2, T = 9, C = 32, HEADS = 4;

    @Test
    void stackedProjectionsGiveTheBitsOfThreeProducts() throws Exception {
        Rng rng = new Rng(21);
        MultiHeadAttention attention = new MultiHeadAttention(rng, C, HEADS);
        Tensor x = Tensor.randn(rng, 0f, 1f, B, T, C);        // (B, T, C)
        Tensor residual = Tensor.randn(rng, 0f, 1f, B, T, C); // (B, T, C)
        List<Tensor> weights = attention.namedParameters().values().stream().map(Parameter::value).toList();
        for (KernelProvider k : KernelProvider.all()) {
            for (boolean pack : new boolean[] {true, false}) {
                for (boolean causal : new boolean[] {false, true}) {
                    // recorded, the projections run one by one: the reference bits
                    float[] want = ComputeProvider.using(new CpuProvider(k, pack), () -> run(attention, x, residual, causal, true));
                    float[] alone = ComputeProvider.using(new CpuProvider(k, pack), () -> run(attention, x, residual, causal, false));
                    assertThat(alone).as(k + ", packing " + pack + ", causal " + causal + ", unregistered").isEqualTo(want);
                    CpuProvider provider = new CpuProvider(k, pack);
                    provider.register(weights);
                    for (int call = 0; call < 3; call++) {
                        float[] got = ComputeProvider.using(provider, () -> run(attention, x, residual, causal, false));
                        assertThat(got).as(k + ", packing " + pack + ", causal " + causal + ", call " + call).isEqualTo(want);
                    }
                }
            }
        }
    }

    private static float[] run(MultiHeadAttention attention, Tensor x, Tensor residual, boolean causal, boolean record) {
        if (record) return attention.forward(x, causal, null, residual).detach().toArray(); // (B, T, C)
        try (var ignored = GradMode.noGrad()) {
            return attention.forward(x, causal, null, residual).toArray(); // (B, T, C)
        }
    }
}
