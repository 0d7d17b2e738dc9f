package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.optim.AdamWStep;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused ops against PyTorch 1.13 (fixtures from src/test/resources/golden/make_fused_golden.py). */
class FusedGoldenTest {
    private static Map<String, Object> golden;

    @BeforeAll
    static void load() {
        golden = Fixtures.json(FusedGoldenTest.class, "/golden/fused_golden.json");
    }

    private static Map<String, Object> section(String name) {
        return Fixtures.object(golden.get(name));
    }

    private static int integer(Map<String, Object> m, String key) {
        return Fixtures.integer(m.get(key));
    }

    @Test
    void causalAttention() {
        attention(section("attention_causal"));
    }

    @Test
    void maskedAttention() {
        attention(section("attention_masked"));
    }

    private static void attention(Map<String, Object> c) {
        int b = integer(c, "b"), h = integer(c, "h"), t = integer(c, "t"), d = integer(c, "d");
        Tensor q = Tensor.of(Fixtures.floats(c.get("q")), b, h, t, d).requiresGrad(true);
        Tensor k = Tensor.of(Fixtures.floats(c.get("k")), b, h, t, d).requiresGrad(true);
        Tensor v = Tensor.of(Fixtures.floats(c.get("v")), b, h, t, d).requiresGrad(true);
        Tensor mask = c.containsKey("mask") ? Tensor.of(Fixtures.floats(c.get("mask")), b, t) : null;
        float scale = (float) num(c, "scale");
        Tensor out = Attention.scaledDotProduct(q, k, v, integer(c, "causal") != 0, mask, scale);
        out.backward(Fixtures.floats(c.get("grad_out")));
        assertAllClose("out", Fixtures.floats(c.get("out")), out.toArray(), 1e-6, 1e-5);
        assertAllClose("dq", Fixtures.floats(c.get("dq")), q.grad().toArray(), 1e-5, 1e-4);
        assertAllClose("dk", Fixtures.floats(c.get("dk")), k.grad().toArray(), 1e-5, 1e-4);
        assertAllClose("dv", Fixtures.floats(c.get("dv")), v.grad().toArray(), 1e-5, 1e-4);
    }

    @Test
    void clipLoss() {
        Map<String, Object> c = section("clip");
        int n = integer(c, "n"), e = integer(c, "e");
        Tensor img = Tensor.of(Fixtures.floats(c.get("image")), n, e).requiresGrad(true);
        Tensor txt = Tensor.of(Fixtures.floats(c.get("text")), n, e).requiresGrad(true);
        Tensor t = Tensor.scalar((float) num(c, "t")).requiresGrad(true);
        Tensor loss = ContrastiveLoss.clip(img, txt, t);
        loss.backward();
        assertThat((double) loss.item()).isCloseTo(num(c, "loss"), within(1e-5));
        assertAllClose("d_image", Fixtures.floats(c.get("d_image")), img.grad().toArray(), 1e-6, 1e-4);
        assertAllClose("d_text", Fixtures.floats(c.get("d_text")), txt.grad().toArray(), 1e-6, 1e-4);
        assertThat((double) t.grad().item()).isCloseTo(num(c, "d_t"), within(1e-5));
    }

    @Test
    void adamwThreeSteps() {
        Map<String, Object> c = section("adamw");
        int n = integer(c, "n");
        float[] p = Fixtures.floats(c.get("param")), m = new float[n], v = new float[n];
        List<Object> grads = Fixtures.list(c.get("grads")), after = Fixtures.list(c.get("params_after"));
        for (int step = 1; step <= 3; step++) {
            AdamWStep.Slot slot = new AdamWStep.Slot(p, 0, Fixtures.floats(grads.get(step - 1)), m, v, 0, n, num(c, "lr"),
                    num(c, "weight_decay"));
            AdamWStep.stepAll(KernelProvider.get().optimizer(), List.of(slot), num(c, "beta1"), num(c, "beta2"), num(c, "eps"), step);
            assertAllClose("param after step " + step, Fixtures.floats(after.get(step - 1)), p, 1e-7, 2e-6);
        }
    }

    private static double num(Map<String, Object> m, String key) {
        return Fixtures.number(m.get(key));
    }
}
