package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.Tensor;

/** Layer norm over the last axis with a learned scale (ones) and shift (zeros), eps 1e-5 as in PyTorch. */
public final class LayerNorm extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final float eps;

    public LayerNorm(int width) {
        this(width, Norms.LAYER_NORM_EPS);
    }

    public LayerNorm(int width, float eps) {
        this.weight = parameter("weight", Tensor.ones(width));
        this.bias = parameter("bias", Tensor.zeros(width));
        this.eps = eps;
    }

    /** x (..., C) → (..., C) */
    public Tensor forward(Tensor x) {
        return Norms.layerNorm(x, weight.value(), bias.value(), eps);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public float eps() {
        return eps;
    }
}
