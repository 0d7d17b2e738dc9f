package dev.vireo.engine.optim;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Replays the PyTorch trajectories of {@code golden/make_optim_golden.py} (AdamW with two groups,
 * warm-up-cosine and clipping; SGD with Nesterov momentum, weight decay and a step schedule; SGD
 * with dampened momentum and clipping) with Vireo tensors and autograd, step by step.
 */
class OptimGoldenTest {
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-6;
    private static Map<String, Object> golden;

    @BeforeAll
    static void load() {
        golden = Fixtures.json(OptimGoldenTest.class, "/golden/optim_golden.json");
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object o = node;
        for (String key : path) o = ((Map<String, Object>) o).get(key);
        return (T) o;
    }

    /** The initial parameters W1, b1, W2, b2, requiring gradients. */
    static Map<String, Tensor> initialParams() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String name : List.of("W1", "b1", "W2", "b2")) {
            params.put(name, Tensor.of(Fixtures.floats(at(golden, "init", name)), Fixtures.ints(at(golden, "shapes", name))).requiresGrad(true));
        }
        return params;
    }

    /** mean((tanh(x·W1 + b1)·W2 + b2 − y)²); the mean is a product with a ones vector and 1/n. */
    static Tensor loss(Map<String, Tensor> p) {
        Tensor x = Tensor.of(Fixtures.floats(at(golden, "x")), Fixtures.ints(at(golden, "x_shape")));        // [N, IN]
        Tensor y = Tensor.of(Fixtures.floats(at(golden, "y")), Fixtures.ints(at(golden, "y_shape")));        // [N, OUT]
        Tensor pred = x.matmul(p.get("W1")).add(p.get("b1")).tanh()                         // [N, HID]
                .matmul(p.get("W2")).add(p.get("b2"));                                    // [N, OUT]
        Tensor diff = pred.sub(y);                                                        // [N, OUT]
        int n = diff.numel();
        return diff.mul(diff).reshape(1, n).matmul(Tensor.ones(n, 1)).mul(1f / n);        // [1, 1]
    }

    private void replay(String name, Map<String, Tensor> params, Optimizer opt, LrSchedule schedule, double clip) {
        List<Object> steps = at(golden, "cases", name);
        for (int s = 0; s < steps.size(); s++) {
            Object expected = steps.get(s);
            opt.zeroGrad();
            Tensor loss = loss(params);
            loss.backward();
            float norm = GradClip.clipGradNorm(params.values(), clip);
            schedule.apply(opt, s);
            List<Object> lrs = at(expected, "lrs");
            for (int g = 0; g < lrs.size(); g++) {
                assertThat(opt.groups().get(g).lr()).as(name + " step " + s + " lr of group " + g)
                        .isCloseTo(((Number) lrs.get(g)).doubleValue(), within(1e-12));
            }
            opt.step();
            String where = name + " step " + s;
            assertAllClose(where + " loss", new float[] {(float) Fixtures.number(at(expected, "loss"))}, new float[] {loss.item()}, ATOL, RTOL);
            assertAllClose(where + " norm", new float[] {(float) Fixtures.number(at(expected, "norm"))}, new float[] {norm}, ATOL, RTOL);
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                assertAllClose(where + " " + e.getKey(), Fixtures.floats(at(expected, "params", e.getKey())), e.getValue().toArray(), ATOL, RTOL);
            }
        }
    }

    @Test
    void adamwWithGroupsWarmupCosineAndClipping() {
        Map<String, Tensor> p = initialParams();
        List<ParamGroup> groups = List.of(
                new ParamGroup(Map.of("W1", p.get("W1"), "W2", p.get("W2")), 0.05, 0.1),
                new ParamGroup(Map.of("b1", p.get("b1"), "b2", p.get("b2")), 0.02, 0.0));
        replay("adamw", p, new AdamW(groups, 0.9, 0.99, 1e-8), LrSchedule.warmupCosine(5, 20, 0.1), 1.0);
    }

    @Test
    void sgdNesterovWithWeightDecayAndStepSchedule() {
        Map<String, Tensor> p = initialParams();
        replay("nesterov", p, new Sgd(ParamGroups.single(p, 0.1, 1e-3), 0.9, 0, true), LrSchedule.step(5, 0.5), 1e9);
    }

    @Test
    void sgdDampenedMomentumWithClipping() {
        Map<String, Tensor> p = initialParams();
        replay("dampened", p, new Sgd(ParamGroups.single(p, 0.05, 0), 0.8, 0.3, false), LrSchedule.constant(), 0.5);
    }
}
