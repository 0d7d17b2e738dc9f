package dev.vireo.engine.nn;

import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/** A lookup table (V, C): token ids of any shape → (ids..., C); gradients scatter-add into the rows used. */
public final class Embedding extends Module {
    private final Parameter weight;

    /** N(0, std²) rows, e.g. std 0.02 as CLIP's token embedding. */
    public Embedding(Rng rng, int vocab, int width, float std) {
        this.weight = parameter("weight", Init.normal(rng, std, vocab, width));
    }

    public Tensor forward(int[] ids, int... idsShape) {
        int vocab = weight.shape()[0];
        for (int id : ids) {
            if (id < 0 || id >= vocab) throw new IndexOutOfBoundsException("Embedding: token id " + id + " outside vocabulary of " + vocab);
        }
        return ShapeOps.embedding(weight.value(), ids, idsShape); // (ids..., C)
    }

    public Parameter weight() {
        return weight;
    }
}
