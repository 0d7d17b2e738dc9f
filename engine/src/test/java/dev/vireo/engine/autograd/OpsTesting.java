package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Shared helpers of the op tests: seeded inputs, gradient checks, and element-wise closeness. */
final class OpsTesting {
    private OpsTesting() {}

    /** A gradient-requiring input of standard-normal values. */
    static Tensor param(Rng rng, int... shape) {
        return Tensor.randn(rng, 0f, 1f, shape).requiresGrad(true);
    }

    /** Finite-difference check with the tolerances of a float32 forward pass. */
    static void check(Function<Tensor[], Tensor> op, Tensor... inputs) {
        check(1e-2, op, inputs);
    }

    static void check(double eps, Function<Tensor[], Tensor> op, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(op, inputs, eps, 2e-3, 2e-2);
        assertThat(r.ok()).as(r.worst()).isTrue();
    }

    /** |actual - expected| ≤ atol + rtol·|expected| for every element, with the first failure named. */
    static void assertAllClose(float[] actual, float[] expected, double rtol, double atol) {
        assertThat(actual).as("length").hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i])) && !(Float.isNaN(actual[i]) && Float.isNaN(expected[i]))
                    && actual[i] != expected[i]) {
                fail("element " + i + ": actual " + actual[i] + ", expected " + expected[i] + " (error " + err + ")");
            }
        }
    }
}
