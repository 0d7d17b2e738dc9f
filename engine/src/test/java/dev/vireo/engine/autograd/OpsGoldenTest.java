package dev.vireo.engine.autograd;

import dev.vireo.engine.testing.MiniJson;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.vireo.engine.autograd.OpsTesting.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outputs and input gradients of the nn ops against PyTorch, case by case, from
 * {@code golden/ops_golden.json} (written by {@code golden/make_ops_golden.py}; no Python at test time).
 */
class OpsGoldenTest {
    /** Relative tolerance of the comparison; the absolute floor covers values that are ~0. */
    private static final double RTOL = 1e-5, ATOL = 1e-6;

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws IOException {
        Map<String, Object> root = json(read("/golden/ops_golden.json"));
        List<Object> cases = list(root.get("cases"));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
        return cases.stream().map(c -> DynamicTest.dynamicTest(str(json(c).get("name")), () -> replay(json(c))));
    }

    private static void replay(Map<String, Object> c) {
        Map<String, Object> inputs = json(c.get("inputs"));
        Map<String, Object> p = json(c.get("params"));
        Map<String, Tensor> t = new java.util.LinkedHashMap<>();
        for (var e : inputs.entrySet()) t.put(e.getKey(), tensor(e.getValue()).requiresGrad(true));
        Tensor out = switch (str(c.get("op"))) {
            case "softmax" -> t.get("x").softmax(integer(p.get("axis")));
            case "logSoftmax" -> t.get("x").logSoftmax(integer(p.get("axis")));
            case "layerNorm" -> t.get("x").layerNorm(t.get("gamma"), t.get("beta"), (float) number(p.get("eps")));
            case "crossEntropy" -> Losses.crossEntropy(t.get("logits"), ints(p.get("targets")),
                    integer(p.get("ignoreIndex")), (float) number(p.get("labelSmoothing")));
            case "gelu" -> t.get("x").gelu();
            case "geluTanh" -> t.get("x").geluTanh();
            case "l2Normalize" -> t.get("x").l2Normalize(integer(p.get("axis")), (float) number(p.get("eps")));
            case "cosineSimilarity" -> Norms.cosineSimilarity(t.get("a"), t.get("b"), integer(p.get("axis")),
                    (float) number(p.get("eps")));
            case "conv2d" -> Convolution.conv2d(t.get("x"), t.get("weight"), t.get("bias"), integer(p.get("stride")),
                    integer(p.get("padding")));
            case "var" -> t.get("x").var(ints(p.get("axes")), integer(p.get("correction")), (Boolean) p.get("keepdim"));
            case "logsumexp" -> t.get("x").logsumexp(ints(p.get("axes")), (Boolean) p.get("keepdim"));
            default -> throw new IllegalArgumentException("golden: unknown op " + c.get("op"));
        };
        Tensor expected = tensor(c.get("output"));
        assertThat(out.shape()).as("output shape").containsExactly(expected.shape());
        assertAllClose(out.toArray(), expected.toArray(), RTOL, ATOL);
        out.backward(tensor(c.get("gradOut")).toArray());
        Map<String, Object> grads = json(c.get("grads"));
        for (var e : grads.entrySet()) {
            Tensor g = t.get(e.getKey()).grad();
            assertThat(g).as("gradient of " + e.getKey()).isNotNull();
            assertAllClose(g.toArray(), tensor(e.getValue()).toArray(), RTOL, ATOL * scale(tensor(e.getValue())));
        }
    }

    /** The largest magnitude of a gradient: a zero row of normalize has gradients of order 1/eps. */
    private static double scale(Tensor t) {
        double m = 1;
        for (float v : t.toArray()) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static Tensor tensor(Object o) {
        Map<String, Object> m = json(o);
        List<Object> data = list(m.get("data"));
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) number(data.get(i));
        return Tensor.of(v, ints(m.get("shape")));
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = OpsGoldenTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource + ": run golden/make_ops_golden.py");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Object o) {
        return o instanceof String s ? (Map<String, Object>) MiniJson.parse(s) : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static String str(Object o) {
        return (String) o;
    }

    private static double number(Object o) {
        return (Double) o;
    }

    private static int integer(Object o) {
        return (int) number(o);
    }

    private static int[] ints(Object o) {
        List<Object> l = list(o);
        int[] v = new int[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = integer(l.get(i));
        return v;
    }
}
