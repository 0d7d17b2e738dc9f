package dev.vireo.engine.nn;

import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * A learnable tensor owned by a {@link Module}. Layers read {@link #value()} on every forward, so a
 * loaded checkpoint can replace the tensor (for example by a memory-mapped one) without copying.
 */
public final class Parameter {
    private Tensor value;

    public Parameter(Tensor value) {
        this.value = value.requiresGrad(true);
    }

    /** The current tensor (a leaf that requires a gradient unless frozen). */
    public Tensor value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    /** Replaces the tensor with one of the same shape, keeping the frozen/trainable state. */
    public void set(String name, Tensor replacement) {
        if (!Shapes.equal(replacement.shape(), value.shape())) {
            throw new IllegalArgumentException("parameter " + name + ": checkpoint shape " + Shapes.str(replacement.shape())
                    + " does not match the model's " + Shapes.str(value.shape()));
        }
        boolean trainable = value.requiresGrad();
        value = replacement.detach().requiresGrad(trainable);
    }

    /** Copies values in place (the tensor object and its storage stay the same). */
    public void copyFrom(String name, Tensor source) {
        if (!Shapes.equal(source.shape(), value.shape())) {
            throw new IllegalArgumentException("parameter " + name + ": checkpoint shape " + Shapes.str(source.shape())
                    + " does not match the model's " + Shapes.str(value.shape()));
        }
        if (!value.isContiguous() || !value.storage().isHeap()) {
            set(name, Tensor.of(source.toArray(), source.shape()));
            return;
        }
        float[] src = source.toArray();
        System.arraycopy(src, 0, value.array(), value.offset(), src.length);
    }

    public boolean trainable() {
        return value.requiresGrad();
    }

    void setTrainable(boolean trainable) {
        value.requiresGrad(trainable);
    }
}
