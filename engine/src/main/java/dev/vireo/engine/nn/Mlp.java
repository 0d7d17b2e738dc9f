package dev.vireo.engine.nn;

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
        Tensor h = fc1.forward(x, activation);        // (..., hidden)
        return fc2.forward(h, null, residual);       // (..., C)
    }

    public Linear fc1() {
        return fc1;
    }

    public Linear fc2() {
        return fc2;
    }
}
