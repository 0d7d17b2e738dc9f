package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.attention.AttentionKernel;
import dev.vireo.engine.kernel.attention.ScalarAttentionKernel;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;

/** The tiled attention on every fused-kernel width against the plain reference: outputs and all three gradients. */
class AttentionParityTest {

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        // (B, H, Tq, Tk, D, Dv, causal, masked): awkward sizes around the tile and lane counts
        int[][] sizes = {{1, 1, 1, 1, 1, 1}, {2, 3, 5, 7, 3, 4}, {1, 2, 17, 17, 16, 16}, {2, 2, 50, 50, 64, 64},
                {1, 1, 97, 97, 33, 31}, {1, 2, 130, 129, 8, 8}, {1, 1, 65, 200, 17, 5}, {2, 1, 77, 77, 64, 64}};
        for (KernelProvider kp : KernelProvider.all()) {
            for (int[] sz : sizes) {
                for (int variant = 0; variant < 3; variant++) list.add(Arguments.of(kp, sz, variant == 1, variant == 2));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} {1} causal={2} masked={3}")
    @MethodSource("cases")
    void matchesReference(KernelProvider kp, int[] sz, boolean causal, boolean masked) {
        int b = sz[0], h = sz[1], tq = sz[2], tk = sz[3], d = sz[4], dv = sz[5];
        Rng rng = new Rng(31L * tq + tk);
        Tensor q = FusedTesting.randn(rng, b, h, tq, d), k = FusedTesting.randn(rng, b, h, tk, d);
        Tensor v = FusedTesting.randn(rng, b, h, tk, dv);
        Tensor mask = null;
        if (masked) {
            float[] keep = new float[b * tk];
            for (int i = 0; i < keep.length; i++) keep[i] = rng.nextFloat() < 0.3f ? 0f : 1f;
            keep[tk - 1] = 0f;
            mask = Tensor.of(keep, b, tk);
        }
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] seed = FusedTesting.randn(rng, b, h, tq, dv).toArray();
        float[][] fast = run(q, k, v, causal, mask, scale, kp.attention(), seed);
        float[][] ref = run(q, k, v, causal, mask, scale, new ScalarAttentionKernel(), seed);
        double tol = 2e-5 * Math.sqrt(Math.max(d, tk));
        String[] names = {"out", "dq", "dk", "dv"};
        for (int i = 0; i < 4; i++) assertAllClose(kp.name() + " " + names[i], ref[i], fast[i], tol, 1e-5);
    }

    private static float[][] run(Tensor q0, Tensor k0, Tensor v0, boolean causal, Tensor mask, float scale,
                                 AttentionKernel kernel, float[] seed) {
        Tensor q = q0.detach().requiresGrad(true), k = k0.detach().requiresGrad(true), v = v0.detach().requiresGrad(true);
        Tensor out = Attention.scaledDotProduct(q, k, v, causal, mask, scale, kernel);
        out.backward(seed);
        return new float[][] {out.toArray(), q.grad().toArray(), k.grad().toArray(), v.grad().toArray()};
    }
}
