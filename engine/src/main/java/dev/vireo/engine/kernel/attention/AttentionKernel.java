package dev.vireo.engine.kernel.attention;

/**
 * Scaled dot-product attention of one head, O = softmax(scale·Q·Kᵀ + mask)·V, forward and backward.
 * Every matrix is read or written in place with its own row stride (unit stride along the head
 * size): Q, K, V as columns of a projection's output, O, dO and the gradients as one head's columns of a
 * (B, T, H·D) array, so multi-head attention needs no permuted copies.
 * The forward saves the log-sum-exp of each row (a row with no visible key gets O = 0, lse = +∞) and,
 * where {@link #savedSize} is not 0 and the caller gives it room, whatever else its backward wants.
 * {@link ScalarAttentionKernel} is the reference; {@link FlashAttentionKernel} the tiled one.
 */
public interface AttentionKernel {

    /** Scratch floats one head needs (the caller owns the buffer, one per thread). */
    int workspaceSize(AttentionShape s);

    /**
     * Floats one head may save in its forward pass for its backward pass (the probabilities of a short
     * head, say), at most one tile; 0 when the backward recomputes everything from the log-sum-exp.
     */
    default int savedSize(AttentionShape s) {
        return 0;
    }

    /**
     * Writes O (tq×dv, row stride ldo) and lse (tq). {@code keep} (tk values, 1 = keep) may be null.
     * {@code saved} is null (no backward pass will follow) or {@link #savedSize} floats from savedOff.
     */
    void forward(float[] o, int oOff, int ldo, float[] lse, int lseOff,
                 float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                 float[] keep, int keepOff, float[] saved, int savedOff, AttentionShape s, float[] ws);

    /**
     * Adds the gradients of Q, K, V (row strides lddq, lddk, lddv) given dO, and O, lse and saved (as
     * given to it, or null) of the forward pass.
     */
    void backward(float[] dq, int dqOff, int lddq, float[] dk, int dkOff, int lddk, float[] dv, int dvOff, int lddv,
                  float[] dout, int doOff, int lddo, float[] o, int oOff, int ldo, float[] lse, int lseOff,
                  float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                  float[] keep, int keepOff, float[] saved, int savedOff, AttentionShape s, float[] ws);
}
