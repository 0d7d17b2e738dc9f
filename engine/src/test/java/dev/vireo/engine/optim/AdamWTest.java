package dev.vireo.engine.optim;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Storage;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AdamW through the fused kernel: the same bits for 1, 2 and 3 threads, parameters that are views at
 * a non-zero storage offset, per-parameter step counts, and the float32 formula element by element.
 */
class AdamWTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = ComputePool.global().threads();
    }

    @AfterEach
    void restoreThreads() {
        ComputePool.setGlobalThreads(savedThreads);
    }

    /** Two groups, sizes that span several kernel chunks, one parameter at a storage offset. */
    private static Map<String, Tensor> params(long seed) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("big", Tensor.randn(rng, 0, 1, 300, 170).requiresGrad(true));      // 51,000: 4 chunks
        p.put("odd", Tensor.randn(rng, 0, 1, 16_385).requiresGrad(true));        // one past a chunk
        p.put("view", atOffset(Tensor.randn(rng, 0, 1, 9, 7).toArray(), 13));    // storage offset 13
        p.put("tiny", Tensor.randn(rng, 0, 1, 3).requiresGrad(true));
        return p;
    }

    /** A leaf over {@code values} placed at {@code offset} in a larger storage. */
    private static Tensor atOffset(float[] values, int offset) {
        float[] storage = new float[offset + values.length + 5];
        System.arraycopy(values, 0, storage, offset, values.length);
        return new Tensor(Storage.of(storage), new int[] {values.length}, new int[] {1}, offset).requiresGrad(true);
    }

    private static AdamW adamw(Map<String, Tensor> p) {
        List<ParamGroup> groups = List.of(
                new ParamGroup(Map.of("big", p.get("big"), "view", p.get("view")), 3e-3, 0.1),
                new ParamGroup(Map.of("odd", p.get("odd"), "tiny", p.get("tiny")), 1e-2, 0));
        return new AdamW(groups, 0.9, 0.99, 1e-8);
    }

    private static void randomGrads(Map<String, Tensor> p, Rng rng) {
        for (Tensor t : p.values()) {
            float[] g = t.gradBuffer();
            for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
        }
    }

    /** Parameters and moments after three steps, as raw bits. */
    private static List<int[]> run(int threads) {
        ComputePool.setGlobalThreads(threads);
        Map<String, Tensor> p = params(1);
        AdamW opt = adamw(p);
        Rng rng = new Rng(2);
        for (int s = 0; s < 3; s++) {
            randomGrads(p, rng);
            opt.step();
        }
        List<int[]> out = new ArrayList<>();
        for (Tensor t : p.values()) out.add(ResumeTest.bits(t.toArray()));
        OptimizerState st = opt.state();
        st.tensors().keySet().stream().sorted().forEach(k -> out.add(ResumeTest.bits(st.tensors().get(k).toArray())));
        return out;
    }

    @Test
    void sameBitsForAnyThreadCount() {
        List<int[]> one = run(1);
        for (int threads : new int[] {2, 3}) {
            List<int[]> many = run(threads);
            assertThat(many).hasSameSizeAs(one);
            for (int i = 0; i < one.size(); i++) assertThat(many.get(i)).as(threads + " threads, array " + i).isEqualTo(one.get(i));
        }
    }

    @Test
    void followsTheFloat32FormulaAndLeavesTheRestOfAViewsStorageAlone() {
        Map<String, Tensor> p = params(3);
        Tensor view = p.get("view");
        float[] before = view.array().clone();
        float[] ref = view.toArray(), m = new float[ref.length], v = new float[ref.length];
        AdamW opt = adamw(p);
        Rng rng = new Rng(4);
        for (int step = 1; step <= 3; step++) {
            randomGrads(p, rng);
            float[] g = view.gradBuffer();
            opt.step();
            reference(ref, g, m, v, 3e-3, 0.1, 0.9, 0.99, 1e-8, step);
        }
        assertThat(view.toArray()).containsExactly(ref);
        float[] storage = view.array();
        int off = view.offset(), n = view.numel();
        assertThat(Arrays.copyOf(storage, off)).containsExactly(Arrays.copyOf(before, off));
        assertThat(Arrays.copyOfRange(storage, off + n, storage.length)).containsExactly(Arrays.copyOfRange(before, off + n, before.length));
        assertThat(opt.state().tensors().get("view.exp_avg").toArray()).containsExactly(m);
        assertThat(opt.state().tensors().get("view.exp_avg_sq").toArray()).containsExactly(v);
    }

    @Test
    void eachParameterCountsItsOwnSteps() {
        Map<String, Tensor> p = params(5);
        AdamW opt = adamw(p);
        Rng rng = new Rng(6);
        float[] tiny = p.get("tiny").toArray(), m = new float[3], v = new float[3];
        // step 1 without a gradient for "tiny": torch skips it and its count stays 0
        for (String name : List.of("big", "odd", "view")) {
            float[] g = p.get(name).gradBuffer();
            for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
        }
        opt.step();
        assertThat(p.get("tiny").toArray()).containsExactly(tiny);
        randomGrads(p, rng);
        opt.step(); // "tiny" takes its first step while the others take their second
        reference(tiny, p.get("tiny").gradBuffer(), m, v, 1e-2, 0, 0.9, 0.99, 1e-8, 1);
        assertThat(p.get("tiny").toArray()).containsExactly(tiny);
        Map<String, String> scalars = opt.state().scalars();
        assertThat(scalars).containsEntry("tiny.step", "1").containsEntry("big.step", "2").containsEntry("view.step", "2");
    }

    /** torch.optim.AdamW's single-tensor update in float32 with double coefficients, one element at a time. */
    private static void reference(float[] p, float[] g, float[] m, float[] v, double lr, double wd,
                                  double beta1, double beta2, double eps, int step) {
        float decay = (float) (1 - lr * wd);
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float negStepSize = (float) (-lr / (1 - Math.pow(beta1, step)));
        for (int i = 0; i < p.length; i++) {
            float pi = p[i] * decay;
            m[i] = m[i] * (float) beta1 + (float) (1 - beta1) * g[i];
            v[i] = v[i] * (float) beta2 + (float) (1 - beta2) * g[i] * g[i];
            float denom = (float) Math.sqrt(v[i]) / bias2Sqrt + (float) eps;
            p[i] = pi + negStepSize * m[i] / denom;
        }
    }
}
