package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014): in training each element is zeroed with probability
 * p and the survivors scaled by 1/(1 - p), so inference needs no rescaling. The mask is drawn from
 * the given {@link Rng} in row-major order, one draw per element: same seed, same mask.
 */
public final class Dropout {
    private Dropout() {}

    /** x itself when {@code p == 0} or not training; otherwise x·mask/(1 - p) with mask ~ Bernoulli(1 - p). */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        if (p == 0f || !training) return x;
        float[] xs = x.toArray();
        float[] scale = new float[xs.length]; // 0 or 1/(1-p) per element
        float keep = p == 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < xs.length; i++) {
            scale[i] = rng.nextFloat() < p ? 0f : keep;
            xs[i] *= scale[i];
        }
        return Node.record(Tensor.of(xs, x.shape()), "dropout", (g, grads) -> {
            float[] gx = new float[g.length];
            for (int i = 0; i < g.length; i++) gx[i] = g[i] * scale[i];
            grads.accumulateOwned(x, gx);
        }, x);
    }
}
