package dev.vireo.engine.fused;

/**
 * Scaled dot-product attention of one head, O = softmax(scale·Q·Kᵀ + mask)·V, forward and backward.
 * Every matrix is read or written in place with its own row stride (unit stride along the head
 * size): Q, K, V as columns of a projection's output, O, dO and the gradients as one head's columns of a
 * (B, T, H·D) array, so multi-head attention needs no permuted copies.
 * The forward saves only the log-sum-exp of each row; a row with no visible key gets O = 0, lse = +∞.
 * {@link ScalarAttentionKernel} is the reference; {@link FlashAttentionKernel} the tiled one.
 */
public interface AttentionKernel {

    /** Scratch floats one head needs (the caller owns the buffer, one per thread). */
    int workspaceSize(AttentionShape s);

    /** Writes O (tq×dv, row stride ldo) and lse (tq). {@code keep} (tk values, 1 = keep) may be null. */
    void forward(float[] o, int oOff, int ldo, float[] lse, int lseOff,
                 float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                 float[] keep, int keepOff, AttentionShape s, float[] ws);

    /** Adds the gradients of Q, K, V (row strides lddq, lddk, lddv) given dO, O and lse of the forward pass. */
    void backward(float[] dq, int dqOff, int lddq, float[] dk, int dkOff, int lddk, float[] dv, int dvOff, int lddv,
                  float[] dout, int doOff, int lddo, float[] o, int oOff, int ldo, float[] lse, int lseOff,
                  float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                  float[] keep, int keepOff, AttentionShape s, float[] ws);
}
