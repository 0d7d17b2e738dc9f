package dev.vireo.engine.optim;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Threads;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Parameter grouping, schedules, clipping, accumulation, EMA and the optimisers' argument and state checks. */
class OptimizerPartsTest {

    @Test
    void decayGoesToMatricesOnly() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("visual.conv1.weight", Tensor.zeros(8, 3, 4, 4));
        named.put("visual.transformer.resblocks.0.attn.in_proj_weight", Tensor.zeros(12, 4));
        named.put("visual.transformer.resblocks.0.attn.in_proj_bias", Tensor.zeros(12));
        named.put("visual.ln_pre.weight", Tensor.zeros(4));
        named.put("text.token_embedding.weight", Tensor.zeros(10, 4));
        named.put("text.positional_embedding", Tensor.zeros(7, 4));
        named.put("blocks.0.norm1.weight", Tensor.zeros(4, 4));
        named.put("logit_scale", Tensor.zeros(1));
        named.put("text_projection", Tensor.zeros(4, 4));
        List<ParamGroup> groups = ParamGroups.withWeightDecay(named, 1e-3, 0.2);
        assertThat(groups.get(0).params().keySet()).containsExactly("visual.conv1.weight",
                "visual.transformer.resblocks.0.attn.in_proj_weight", "text_projection");
        assertThat(groups.get(0).weightDecay()).isEqualTo(0.2);
        assertThat(groups.get(1).params()).hasSize(6);
        assertThat(groups.get(1).weightDecay()).isZero();
    }

    @Test
    void schedulesFollowTheirFormulas() {
        LrSchedule cos = LrSchedule.warmupCosine(4, 14, 0.1);
        assertThat(cos.factor(0)).isEqualTo(0.25);
        assertThat(cos.factor(3)).isEqualTo(1.0);
        assertThat(cos.factor(4)).isEqualTo(1.0);
        assertThat(cos.factor(9)).isCloseTo(0.55, within(1e-12));
        assertThat(cos.factor(14)).isCloseTo(0.1, within(1e-12));
        assertThat(cos.factor(100)).isCloseTo(0.1, within(1e-12));
        assertThat(LrSchedule.step(3, 0.5).factor(5)).isEqualTo(0.5);
        assertThat(LrSchedule.step(3, 0.5).factor(6)).isEqualTo(0.25);
        assertThat(LrSchedule.constant().factor(1000)).isEqualTo(1.0);
        Tensor p = Tensor.zeros(2).requiresGrad(true);
        Sgd sgd = new Sgd(List.of(new ParamGroup(Map.of("p", p), 0.4, 0)));
        LrSchedule.step(1, 0.5).apply(sgd, 2);
        assertThat(sgd.groups().get(0).lr()).isEqualTo(0.1);
        assertThat(sgd.groups().get(0).baseLr()).isEqualTo(0.4);
    }

    @Test
    void clipsByTheGlobalNorm() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        Tensor b = Tensor.zeros(1).requiresGrad(true);
        Tensor untouched = Tensor.zeros(3).requiresGrad(true);
        a.gradBuffer()[0] = 3;
        a.gradBuffer()[1] = 0;
        b.gradBuffer()[0] = 4;
        float total = GradClip.clipGradNorm(List.of(a, b, untouched), 1.0);
        assertThat(total).isEqualTo(5f);
        assertThat(a.gradBuffer()[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(b.gradBuffer()[0]).isCloseTo(0.8f, within(1e-6f));
        assertThat(untouched.grad()).as("a parameter without gradient stays without").isNull();
        assertThat(GradClip.clipGradNorm(List.of(a, b), 10)).isCloseTo(1f, within(1e-6f));
        assertThat(a.gradBuffer()[0]).as("no scaling under the limit").isCloseTo(0.6f, within(1e-6f));
    }

    @Test
    void accumulatedMicroBatchesGiveTheFullBatchGradient() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 0, 1, 8, 3);                                   // [8, 3]
        Tensor w = Tensor.randn(rng, 0, 1, 3, 1).requiresGrad(true);                 // [3, 1]
        meanSquare(x.matmul(w)).backward();
        float[] full = w.gradBuffer().clone();
        w.zeroGrad();
        GradAccumulation acc = new GradAccumulation(4);
        boolean stepped = false;
        for (int i = 0; i < 4; i++) {
            meanSquare(x.narrow(0, 2 * i, 2).matmul(w)).mul(acc.lossScale()).backward();
            stepped = acc.microStepDone();
            assertThat(stepped).isEqualTo(i == 3);
        }
        assertThat(acc.pending()).isZero();
        assertAllClose("accumulated", full, w.gradBuffer(), 1e-6, 1e-5);
    }

    private static Tensor meanSquare(Tensor y) {
        int n = y.numel();
        return y.mul(y).reshape(1, n).matmul(Tensor.ones(n, 1)).mul(1f / n);     // [1, 1]
    }

    @Test
    void emaAveragesWithWarmup() {
        Tensor p = Tensor.zeros(1);
        Ema ema = new Ema(Map.of("p", p), 0.9, true);
        assertThat(ema.currentDecay()).isEqualTo(0.1);
        p.set(1f, 0);
        ema.update();                                   // 0.1·0 + 0.9·1
        assertThat(ema.averaged("p").item()).isCloseTo(0.9f, within(1e-6f));
        Ema plain = new Ema(Map.of("p", Tensor.zeros(1)), 0.9, false);
        assertThat(plain.currentDecay()).isEqualTo(0.9);
        Tensor target = Tensor.zeros(1);
        ema.copyTo(Map.of("p", target));
        assertThat(target.item()).isCloseTo(0.9f, within(1e-6f));
    }

    @Test
    void adamwDecaysOnlyItsGroupAndSkipsParametersWithoutGradient() {
        Tensor w = Tensor.full(1f, 2).requiresGrad(true);
        Tensor b = Tensor.full(1f, 2).requiresGrad(true);
        Tensor frozen = Tensor.full(1f, 2).requiresGrad(true);
        w.gradBuffer();
        b.gradBuffer();
        AdamW opt = new AdamW(List.of(new ParamGroup(Map.of("w", w, "frozen", frozen), 0.1, 0.5), new ParamGroup(Map.of("b", b), 0.1, 0)));
        opt.step();
        assertThat(w.toArray()).containsOnly(0.95f);    // zero gradient: only p·(1 − lr·wd)
        assertThat(b.toArray()).containsOnly(1f);
        assertThat(frozen.toArray()).containsOnly(1f);
        assertThat(opt.state().scalars()).containsKeys("w.step", "b.step").doesNotContainKey("frozen.step");
    }

    /** One AdamW step and one clip of a large parameter, with 1 and 2 threads: the same bits. */
    @Test
    void sameBitsForAnyThreadCount() {
        int[][] results = new int[2][];
        float[] norms = new float[2];
        for (int threads = 1; threads <= 2; threads++) {
            int t = threads;
            results[t - 1] = Threads.withThreads(t, () -> {
                Rng rng = new Rng(8);
                Tensor p = Tensor.randn(rng, 0, 1, 100_003).requiresGrad(true);          // [100003]
                float[] g = p.gradBuffer();
                for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
                norms[t - 1] = GradClip.clipGradNorm(List.of(p), 1.0);
                AdamW opt = new AdamW(ParamGroups.single(Map.of("p", p), 1e-3, 0.1));
                opt.step();
                opt.step();
                return ResumeTest.bits(p.toArray());
            });
        }
        assertThat(norms[1]).isEqualTo(norms[0]);
        assertThat(results[1]).isEqualTo(results[0]);
    }

    @Test
    void rejectsBadArgumentsAndMismatchedState() {
        Tensor p = Tensor.zeros(2, 2).requiresGrad(true);
        List<ParamGroup> groups = ParamGroups.single(Map.of("p", p), 0.1, 0);
        assertThatThrownBy(() -> new Sgd(groups, 0, 0, true)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new Sgd(groups, 0.9, 0.1, true)).hasMessageContaining("dampening");
        assertThatThrownBy(() -> new AdamW(groups, 1.0, 0.999, 1e-8)).hasMessageContaining("betas");
        assertThatThrownBy(() -> new AdamW(List.of(groups.get(0), new ParamGroup(Map.of("q", p), 0.1, 0))))
                .hasMessageContaining("two groups");
        assertThatThrownBy(() -> new ParamGroup(Map.of("t", Tensor.zeros(2, 3).transpose(0, 1)), 0.1, 0))
                .hasMessageContaining("contiguous");

        p.gradBuffer()[0] = 1;
        AdamW adam = new AdamW(groups);
        adam.step();
        OptimizerState state = adam.state();
        Tensor other = Tensor.zeros(4).requiresGrad(true);
        AdamW wrongShape = new AdamW(ParamGroups.single(Map.of("p", other), 0.1, 0));
        assertThatThrownBy(() -> wrongShape.loadState(state)).hasMessageContaining("p.exp_avg").hasMessageContaining("[2, 2]")
                .hasMessageContaining("[4]");
        Sgd sgd = new Sgd(groups, 0.9, 0, false);
        assertThatThrownBy(() -> sgd.loadState(state)).hasMessageContaining("adamw");
    }
}
