package dev.vireo.models.clip;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/** Re-initialisations used by the CLIP towers (OpenAI's {@code initialize_parameters}). */
final class ClipInit {
    private ClipInit() {}

    static void normal(Rng rng, Parameter p, float std) {
        if (rng.forLoadedWeightsOnly()) return; // every value will be loaded: leave the storage unallocated
        p.copyFrom("init", Tensor.randn(rng, 0f, std, p.shape()));
    }

    static void zero(Parameter p) {
        if (p != null) p.copyFrom("init", Tensor.zeros(p.shape()));
    }
}
