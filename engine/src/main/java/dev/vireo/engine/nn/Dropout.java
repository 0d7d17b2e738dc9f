package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.Elementwise;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/** Inverted dropout, active only in training mode, with its own seeded random stream. */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    public Dropout(float p, long seed) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.rng = new Rng(seed);
    }

    public Tensor forward(Tensor x) {
        return Elementwise.dropout(x, p, isTraining(), rng);
    }

    /** The random stream (its state goes into checkpoints for exact resume). */
    public Rng rng() {
        return rng;
    }
}
