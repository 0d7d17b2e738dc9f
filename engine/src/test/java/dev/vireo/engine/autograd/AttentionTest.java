package dev.vireo.engine.autograd;

import dev.vireo.engine.autograd.GradCheck;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.attention.AttentionKernel;
import dev.vireo.engine.kernel.attention.AttentionShape;
import dev.vireo.engine.kernel.attention.ScalarAttentionKernel;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.vireo.engine.testing.Threads.withThreads;
import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Fused attention: gradient checks, strided views of a QKV projection, the causal property, determinism. */
class AttentionTest {
    private static final Rng RNG = new Rng(17);

    static Tensor param(int... shape) {
        return Tensor.randn(RNG, 0f, 1f, shape).requiresGrad(true);
    }

    static void check(Function<Tensor[], Tensor> op, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(op, inputs, 1e-2, 2e-3, 2e-2);
        assertThat(r.ok()).as(r.worst()).isTrue();
    }

    @Test
    void gradientsPlainCausalAndMasked() {
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 1, 1, 1, 0}, 2, 4);
        check(t -> Attention.scaledDotProduct(t[0], t[1], t[2], false, null, 0.5f), param(2, 2, 3, 4), param(2, 2, 4, 4), param(2, 2, 4, 3));
        check(t -> Attention.scaledDotProduct(t[0], t[1], t[2], true, null, 0.5f), param(1, 2, 5, 3), param(1, 2, 5, 3), param(1, 2, 5, 3));
        check(t -> Attention.scaledDotProduct(t[0], t[1], t[2], false, mask, 0.5f), param(2, 1, 3, 2), param(2, 1, 4, 2), param(2, 1, 4, 2));
        check(t -> Attention.scaledDotProduct(t[0], t[1], t[2], true, Tensor.of(new float[] {1, 1, 0, 1, 1}, 1, 5), 0.7f),
                param(1, 1, 5, 2), param(1, 1, 5, 2), param(1, 1, 5, 2));
    }

    @Test
    void gradientsSingleTokenAndSeveralTiles() {
        check(t -> Attention.scaledDotProduct(t[0], t[1], t[2], true, null, 1f), param(2, 2, 1, 3), param(2, 2, 1, 3), param(2, 2, 1, 3));
        // 100 tokens: two tiles of 64 (not a multiple), so the online softmax rescales across tiles
        check(t -> Attention.scaledDotProduct(t[0], t[1], t[2], true, null, 0.3f), param(1, 1, 100, 2), param(1, 1, 100, 2), param(1, 1, 100, 1));
    }

    @Test
    void multiHeadOnTheProjectionLayoutGradients() {
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 1, 1, 1, 0}, 2, 4);
        // q (B, Tq, H·D), k (B, Tk, H·D), v (B, Tk, H·Dv): 2 heads of 3 (and of 2 for v)
        check(t -> Attention.multiHead(t[0], t[1], t[2], 2, false, mask, 0.5f), param(2, 3, 6), param(2, 4, 6), param(2, 4, 4));
        check(t -> Attention.multiHead(t[0], t[1], t[2], 3, true, null, 0.6f), param(1, 5, 6), param(1, 5, 6), param(1, 5, 6));
        // one tensor as q, k and v: three gradient contributions into one buffer
        check(t -> Attention.multiHead(t[0], t[0], t[0], 2, true, null, 0.4f), param(2, 4, 4));
    }

    @Test
    void multiHeadEqualsPermutedScaledDotProduct() {
        int b = 3, t = 70, s = 70, h = 4, d = 8;   // 70 tokens: a single 70-wide tile and, causal, its diagonal
        Tensor q = param(b, t, h * d), k = param(b, s, h * d), v = param(b, s, h * d);
        for (boolean causal : new boolean[] {false, true}) {
            Tensor fused = Attention.multiHead(q, k, v, h, causal, null, 0.35f); // (B, T, H·D)
            Tensor perHead = Attention.scaledDotProduct(q.reshape(b, t, h, d).permute(0, 2, 1, 3), k.reshape(b, s, h, d).permute(0, 2, 1, 3),
                    v.reshape(b, s, h, d).permute(0, 2, 1, 3), causal, null, 0.35f);  // (B, H, T, D)
            assertThat(fused.toArray()).containsExactly(perHead.permute(0, 2, 1, 3).reshape(b, t, h * d).toArray());
        }
    }

    @Test
    void stridedViewsOfAFusedProjection() {
        int b = 2, t = 7, h = 3, d = 4;
        Tensor qkv = param(b, t, 3, h, d);
        Function<Tensor[], Tensor> op = x -> {
            Tensor[] v = Attention.splitQkv(x[0]); // three (B, H, T, D) views, no copy
            return Attention.scaledDotProduct(v[0], v[1], v[2], true, null, 0.5f);
        };
        check(op, qkv);
        Tensor[] views = Attention.splitQkv(qkv.detach());
        assertThat(views[1].storage()).isSameAs(qkv.storage());
        // the same numbers as dense copies of the same slices
        Tensor[] copies = new Tensor[3];
        for (int i = 0; i < 3; i++) copies[i] = Tensor.of(views[i].toArray(), b, h, t, d);
        Tensor viaViews = Attention.scaledDotProduct(views[0], views[1], views[2], true, null, 0.5f);
        Tensor viaCopies = Attention.scaledDotProduct(copies[0], copies[1], copies[2], true, null, 0.5f);
        assertThat(viaViews.toArray()).containsExactly(viaCopies.toArray());
        // and the same as slicing with the generic view ops (permute + narrow + copy)
        Tensor p = qkv.detach().permute(2, 0, 3, 1, 4); // (3, B, H, T, D)
        assertThat(views[2].toArray()).containsExactly(p.narrow(0, 2, 1).reshape(b, h, t, d).toArray());
    }

    @Test
    void causalOutputIgnoresFutureKeysAndValues() {
        Rng rng = new Rng(2);
        int t = 70;
        Tensor q = FusedTesting.randn(rng, 2, 2, t, 8), k = FusedTesting.randn(rng, 2, 2, t, 8), v = FusedTesting.randn(rng, 2, 2, t, 8);
        float[] before = Attention.scaledDotProduct(q, k, v, true, null, 0.35f).toArray();
        int cut = 40; // perturb keys and values of positions >= cut
        for (Tensor x : new Tensor[] {k, v}) {
            for (int bh = 0; bh < 4; bh++) {
                for (int j = cut; j < t; j++) x.set(x.get(bh / 2, bh % 2, j, 3) + 5f, bh / 2, bh % 2, j, 3);
            }
        }
        float[] after = Attention.scaledDotProduct(q, k, v, true, null, 0.35f).toArray();
        for (int bh = 0; bh < 4; bh++) {
            for (int i = 0; i < t; i++) {
                for (int c = 0; c < 8; c++) {
                    int idx = (bh * t + i) * 8 + c;
                    if (i < cut) assertThat(after[idx]).as("row %d", i).isEqualTo(before[idx]);
                }
            }
        }
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void weightsAreRowStochasticAndMatchTheOutput() {
        Rng rng = new Rng(4);
        Tensor q = FusedTesting.randn(rng, 1, 2, 6, 4), k = FusedTesting.randn(rng, 1, 2, 6, 4), v = FusedTesting.randn(rng, 1, 2, 6, 3);
        Tensor w = Attention.weights(q, k, true, null, 0.5f); // (1, 2, 6, 6)
        float[] p = w.toArray();
        for (int r = 0; r < 12; r++) {
            double s = 0;
            for (int j = 0; j < 6; j++) s += p[r * 6 + j];
            assertThat(s).isCloseTo(1.0, within(1e-6));
        }
        assertAllClose("P·V", Attention.scaledDotProduct(q, k, v, true, null, 0.5f).toArray(), w.matmul(v).toArray(), 1e-6, 1e-5);
    }

    @Test
    void fullyMaskedRowGivesZeros() {
        Tensor q = param(1, 1, 2, 2), k = param(1, 1, 2, 2), v = param(1, 1, 2, 2);
        Tensor out = Attention.scaledDotProduct(q, k, v, false, Tensor.zeros(1, 2), 1f);
        assertThat(out.toArray()).containsOnly(0f);
        out.backward(new float[] {1, 1, 1, 1});
        assertThat(q.grad().toArray()).containsOnly(0f);
    }

    @Test
    void sameBitsForOneAndTwoThreads() {
        Rng rng = new Rng(6);
        Tensor q = FusedTesting.randn(rng, 3, 4, 77, 16), k = FusedTesting.randn(rng, 3, 4, 77, 16), v = FusedTesting.randn(rng, 3, 4, 77, 16);
        float[] seed = FusedTesting.randn(rng, 3, 4, 77, 16).toArray();
        float[][] one = withThreads(1, () -> run(q, k, v, seed));
        float[][] two = withThreads(2, () -> run(q, k, v, seed));
        for (int i = 0; i < 4; i++) assertThat(two[i]).containsExactly(one[i]);
    }

    private static float[][] run(Tensor q0, Tensor k0, Tensor v0, float[] seed) {
        Tensor q = q0.detach().requiresGrad(true), k = k0.detach().requiresGrad(true), v = v0.detach().requiresGrad(true);
        Tensor out = Attention.scaledDotProduct(q, k, v, true, null, 0.25f);
        out.backward(seed);
        return new float[][] {out.toArray(), q.grad().toArray(), k.grad().toArray(), v.grad().toArray()};
    }

    @Test
    void shortHeadsGiveTheSameOutputWithAndWithoutAGraph() {
        // 50 tokens (one tile) and 77 causal (row tiles of 32): training saves the probabilities, inference does not
        for (int t : new int[] {50, 77}) {
            boolean causal = t == 77;
            Tensor q = param(2, 3, t, 16), k = param(2, 3, t, 16), v = param(2, 3, t, 16);
            Tensor training = Attention.scaledDotProduct(q, k, v, causal, null, 0.25f);
            Tensor inference;
            try (var ignored = GradMode.noGrad()) {
                inference = Attention.scaledDotProduct(q, k, v, causal, null, 0.25f);
            }
            assertThat(inference.toArray()).as("T=" + t).containsExactly(training.toArray());
        }
    }

    @Test
    void savedProbabilitiesOnlyForHeadsOfOneTile() {
        AttentionKernel kernel = KernelProvider.get().attention();
        assertThat(kernel.savedSize(new AttentionShape(77, 77, 64, 64, 0.125f, true))).isEqualTo(77 * 77);
        assertThat(kernel.savedSize(new AttentionShape(50, 50, 64, 64, 0.125f, false))).isEqualTo(50 * 50);
        assertThat(kernel.savedSize(new AttentionShape(97, 97, 64, 64, 0.125f, false))).isZero(); // flash: recomputes
        assertThat(new ScalarAttentionKernel().savedSize(new AttentionShape(5, 5, 4, 4, 1f, false))).isZero();
    }
}
