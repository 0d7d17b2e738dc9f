package dev.vireo.engine.fused;

import dev.vireo.engine.testing.MiniJson;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.fused.FusedTesting.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused ops against PyTorch 1.13 (fixtures from src/test/resources/golden/make_fused_golden.py). */
class FusedGoldenTest {
    private static Map<String, Object> golden;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (InputStream in = FusedGoldenTest.class.getResourceAsStream("/golden/fused_golden.json")) {
            if (in == null) throw new IllegalStateException("golden/fused_golden.json is missing: run make_fused_golden.py");
            golden = (Map<String, Object>) MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(String name) {
        return (Map<String, Object>) golden.get(name);
    }

    private static int integer(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
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
        Tensor q = Tensor.of(MiniJson.floats(c.get("q")), b, h, t, d).requiresGrad(true);
        Tensor k = Tensor.of(MiniJson.floats(c.get("k")), b, h, t, d).requiresGrad(true);
        Tensor v = Tensor.of(MiniJson.floats(c.get("v")), b, h, t, d).requiresGrad(true);
        Tensor mask = c.containsKey("mask") ? Tensor.of(MiniJson.floats(c.get("mask")), b, t) : null;
        float scale = ((Number) c.get("scale")).floatValue();
        Tensor out = Attention.scaledDotProduct(q, k, v, (Boolean) c.get("causal"), mask, scale);
        out.backward(MiniJson.floats(c.get("grad_out")));
        assertAllClose(out.toArray(), MiniJson.floats(c.get("out")), 1e-5, 1e-6, "out");
        assertAllClose(q.grad().toArray(), MiniJson.floats(c.get("dq")), 1e-4, 1e-5, "dq");
        assertAllClose(k.grad().toArray(), MiniJson.floats(c.get("dk")), 1e-4, 1e-5, "dk");
        assertAllClose(v.grad().toArray(), MiniJson.floats(c.get("dv")), 1e-4, 1e-5, "dv");
    }

    @Test
    void clipLoss() {
        Map<String, Object> c = section("clip");
        int n = integer(c, "n"), e = integer(c, "e");
        Tensor img = Tensor.of(MiniJson.floats(c.get("image")), n, e).requiresGrad(true);
        Tensor txt = Tensor.of(MiniJson.floats(c.get("text")), n, e).requiresGrad(true);
        Tensor t = Tensor.scalar(((Number) c.get("t")).floatValue()).requiresGrad(true);
        Tensor loss = ContrastiveLoss.clip(img, txt, t);
        loss.backward();
        assertThat((double) loss.item()).isCloseTo(((Number) c.get("loss")).doubleValue(), within(1e-5));
        assertAllClose(img.grad().toArray(), MiniJson.floats(c.get("d_image")), 1e-4, 1e-6, "d_image");
        assertAllClose(txt.grad().toArray(), MiniJson.floats(c.get("d_text")), 1e-4, 1e-6, "d_text");
        assertThat((double) t.grad().item()).isCloseTo(((Number) c.get("d_t")).doubleValue(), within(1e-5));
    }

    @Test
    @SuppressWarnings("unchecked")
    void adamwThreeSteps() {
        Map<String, Object> c = section("adamw");
        int n = integer(c, "n");
        float[] p = MiniJson.floats(c.get("param")), m = new float[n], v = new float[n];
        List<Object> grads = (List<Object>) c.get("grads"), after = (List<Object>) c.get("params_after");
        for (int step = 1; step <= 3; step++) {
            AdamWKernel.step(p, MiniJson.floats(grads.get(step - 1)), m, v, 0, n, num(c, "lr"), num(c, "beta1"),
                    num(c, "beta2"), num(c, "eps"), num(c, "weight_decay"), step);
            assertAllClose(p, MiniJson.floats(after.get(step - 1)), 2e-6, 1e-7, "param after step " + step);
        }
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
