package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.LinearOp;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/** y = x·Wᵀ + b with W stored (out, in) as in PyTorch, so checkpoints map one to one. */
public final class Linear extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;

    /** PyTorch's default initialisation (U(±1/√in) for weight and bias). */
    public Linear(Rng rng, int in, int out, boolean bias) {
        this(Init.uniform(rng, Init.linearBound(in), out, in), bias ? Init.uniform(rng, Init.linearBound(in), out) : null);
    }

    /** A layer over given tensors: weight (out, in), bias (out) or null. */
    public Linear(Tensor weight, Tensor bias) {
        if (weight.rank() != 2) throw new IllegalArgumentException("Linear: weight must be (out, in), got " + Shapes.str(weight.shape()));
        this.out = weight.size(0);
        this.in = weight.size(1);
        this.weight = parameter("weight", weight);
        if (bias != null && (bias.rank() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("Linear: bias must be (" + out + ",), got " + Shapes.str(bias.shape()));
        }
        this.bias = bias == null ? null : parameter("bias", bias);
    }

    /** x (..., in) → (..., out). */
    public Tensor forward(Tensor x) {
        return forward(x, null, null);
    }

    /** act(x·Wᵀ + b). */
    public Tensor forward(Tensor x, Activation activation) {
        return forward(x, activation, null);
    }

    /**
     * act(x·Wᵀ + b) + residual, with residual (..., out) or null. The bias and the residual run inside
     * the GEMM's epilogue; without gradients to record (inference, or everything frozen) so does the
     * activation.
     */
    public Tensor forward(Tensor x, Activation activation, Tensor residual) {
        if (x.size(-1) != in) {
            throw new IllegalArgumentException("Linear(" + in + " → " + out + "): input " + Shapes.str(x.shape())
                    + " has last axis " + x.size(-1));
        }
        Tensor w = weight.value(), b = bias == null ? null : bias.value();
        boolean record = GradMode.isEnabled() && (x.requiresGrad() || w.requiresGrad() || b != null && b.requiresGrad()
                || residual != null && residual.requiresGrad());
        if (!record) return ComputeProvider.get().linear(x, w, b, activation == null ? null : activation.unaryOp(), residual); // (..., out)
        if (activation == null) return LinearOp.linear(x, w, b, residual); // (..., out)
        Tensor y = activation.apply(LinearOp.linear(x, w, b, null));        // (..., out)
        return residual == null ? y : residual.add(y);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }
}
