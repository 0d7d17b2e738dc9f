package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared helpers of the op tests: seeded inputs, and gradient checks. */
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
}
