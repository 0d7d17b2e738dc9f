package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/** Weight initialisations, drawn from a seeded {@link Rng} in row-major order. */
public final class Init {
    private Init() {}

    /** N(0, std²), as CLIP initialises embeddings (0.02, 0.01) and projections (width^-0.5). */
    public static Tensor normal(Rng rng, float std, int... shape) {
        return Tensor.randn(rng, 0f, std, shape);
    }

    /** U(-bound, bound). */
    public static Tensor uniform(Rng rng, float bound, int... shape) {
        return Tensor.uniform(rng, -bound, bound, shape);
    }

    /**
     * PyTorch's default for {@code nn.Linear}: kaiming_uniform(a=√5) gives U(-1/√fanIn, 1/√fanIn)
     * for the weight, and the bias uses the same bound.
     */
    public static float linearBound(int fanIn) {
        return fanIn > 0 ? (float) (1.0 / Math.sqrt(fanIn)) : 0f;
    }
}
