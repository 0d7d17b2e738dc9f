package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.vireo.engine.testing.Fixtures.integer;
import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.number;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Fixtures.string;
import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outputs and input gradients of the nn ops against PyTorch, case by case, from
 * {@code golden/ops_golden.json} (written by {@code golden/make_ops_golden.py}; no Python at test time).
 */
class OpsGoldenTest {
    /** Relative tolerance of the comparison; the absolute floor covers values that are ~0. */
    private static final double RTOL = 1e-5, ATOL = 1e-6;

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        Map<String, Object> root = Fixtures.json(OpsGoldenTest.class, "/golden/ops_golden.json");
        List<Object> cases = list(root.get("cases"));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
        return cases.stream().map(c -> DynamicTest.dynamicTest(string(object(c).get("name")), () -> replay(object(c))));
    }

    private static void replay(Map<String, Object> c) {
        Map<String, Object> inputs = object(c.get("inputs"));
        Map<String, Object> p = object(c.get("params"));
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (var e : inputs.entrySet()) t.put(e.getKey(), tensor(e.getValue()).requiresGrad(true));
        Tensor out = switch (string(c.get("op"))) {
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
            case "var" -> t.get("x").var(ints(p.get("axes")), integer(p.get("correction")), integer(p.get("keepdim")) != 0);
            case "logsumexp" -> t.get("x").logsumexp(ints(p.get("axes")), integer(p.get("keepdim")) != 0);
            default -> throw new IllegalArgumentException("golden: unknown op " + c.get("op"));
        };
        Tensor expected = tensor(c.get("output"));
        assertThat(out.shape()).as("output shape").containsExactly(expected.shape());
        assertAllClose("output", expected.toArray(), out.toArray(), ATOL, RTOL);
        out.backward(tensor(c.get("gradOut")).toArray());
        Map<String, Object> grads = object(c.get("grads"));
        for (var e : grads.entrySet()) {
            Tensor g = t.get(e.getKey()).grad();
            assertThat(g).as("gradient of " + e.getKey()).isNotNull();
            // per element: the 1/eps gradients of normalize's zero row must not widen the tolerance of every other entry
            assertAllClose("gradient of " + e.getKey(), tensor(e.getValue()).toArray(), g.toArray(), ATOL, RTOL);
        }
    }

    private static Tensor tensor(Object o) {
        Map<String, Object> m = object(o);
        return Tensor.of(Fixtures.floats(m.get("data")), ints(m.get("shape")));
    }
}
