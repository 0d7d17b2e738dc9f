package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/** Shared helper of the fused-op tests. */
final class FusedTesting {
    private FusedTesting() {}

    static Tensor randn(Rng rng, int... shape) {
        return Tensor.randn(rng, 0f, 1f, shape);
    }
}
