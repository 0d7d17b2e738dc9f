package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.LinearOp;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/** The transformer feed-forward block: fc1 → activation → fc2 (Hugging Face names {@code fc1}, {@code fc2}). */
public final class Mlp extends Module {
    private final Linear fc1;
    private final Linear fc2;
    private final Activation activation;

    public Mlp(Rng rng, int width, int hidden, Activation activation) {
        this.fc1 = child("fc1", new Linear(rng, width, hidden, true));
        this.fc2 = child("fc2", new Linear(rng, hidden, width, true));
        this.activation = activation;
    }

    /** x (..., C) → (..., C) */
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** residual + fc2(act(fc1(x))), the residual (..., C) added inside fc2's GEMM; null for none. */
    public Tensor forward(Tensor x, Tensor residual) {
        if (!records(x, residual)) {
            Tensor h = fc1.forward(x, activation);    // (..., hidden)
            Tensor y = fc2.forward(h, null, residual); // (..., C)
            BufferPool.recycle(h);                     // no graph holds it
            return y;
        }
        // training: only fc1's pre-activation is kept for the backward pass; fc2 recomputes act from it
        Tensor pre = fc1.forward(x);                                                         // (..., hidden)
        Tensor b2 = fc2.bias() == null ? null : fc2.bias().value();
        return LinearOp.linearOfActivation(pre, activation.unaryOp(), fc2.weight().value(), b2, residual); // (..., C)
    }

    /** Whether this forward pass records a graph (some input or parameter needs a gradient). */
    private boolean records(Tensor x, Tensor residual) {
        if (!GradMode.isEnabled()) return false;
        if (x.requiresGrad() || residual != null && residual.requiresGrad()) return true;
        for (Tensor p : trainableParameters()) if (p.requiresGrad()) return true;
        return false;
    }

    public Activation activation() {
        return activation;
    }

    public Linear fc1() {
        return fc1;
    }

    public Linear fc2() {
        return fc2;
    }
}
