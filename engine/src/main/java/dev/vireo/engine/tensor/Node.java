package dev.vireo.engine.tensor;

/**
 * One recorded operation of the autograd graph: the inputs it read and how to turn the gradient
 * of its output into gradients of those inputs. Ops record nodes with {@link #record}; a tensor
 * made with no input requiring gradients (or under {@link GradMode#noGrad()}) records nothing.
 */
public final class Node {

    /** Turns the output's gradient into input gradients, accumulated with {@link Grads#accumulate}. */
    @FunctionalInterface
    public interface Backward {
        /** {@code gradOut} is dense, row-major, in the output's shape; read it, do not keep it. */
        void apply(float[] gradOut, Grads grads);
    }

    final String op;
    Tensor[] inputs;
    Backward backward;

    private Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    /**
     * Drops what the node saved (its inputs and the backward closure with its activations) once a
     * backward pass has used it, so memory is given back as the pass proceeds, as PyTorch frees
     * saved tensors unless asked to retain the graph.
     */
    void release() {
        inputs = null;
        backward = null;
    }

    boolean released() {
        return backward == null;
    }

    /** The op's name, for error messages and graph dumps. */
    public String op() {
        return op;
    }

    /**
     * Attaches a node to {@code out} if gradients are on and any input requires them; returns
     * {@code out}. The backward closure should capture only what it needs (saved activations).
     */
    public static Tensor record(Tensor out, String op, Backward backward, Tensor... inputs) {
        if (!willRecord(inputs)) return out;
        out.attach(new Node(op, inputs, backward));
        return out;
    }

    /** Whether {@link #record} on these inputs would attach a node (an op may skip saving for a backward pass that will not come). */
    public static boolean willRecord(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) return true;
        }
        return false;
    }
}
