package dev.vireo.engine.fused;

/**
 * Scaled dot-product attention of one head, O = softmax(scale·Q·Kᵀ + mask)·V, forward and backward.
 * Q, K, V rows may be strided (row strides ldq, ldk, ldv; unit stride along the head size), so views
 * of a fused QKV projection are read in place. O, dO and the gradients are dense (row stride d or dv).
 * The forward saves only the log-sum-exp of each row; a row with no visible key gets O = 0, lse = +∞.
 * {@link ScalarAttentionKernel} is the reference; {@link FlashAttentionKernel} the tiled one.
 */
public interface AttentionKernel {

    /** Scratch floats one head needs (the caller owns the buffer, one per thread). */
    int workspaceSize(AttentionShape s);

    /** Writes O (tq×dv, dense) and lse (tq). {@code keep} (tk values, 1 = keep) may be null. */
    void forward(float[] o, int oOff, float[] lse, int lseOff,
                 float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                 float[] keep, int keepOff, AttentionShape s, float[] ws);

    /** Adds the gradients of Q, K, V (dense) given dO, O and lse of the forward pass. */
    void backward(float[] dq, int dqOff, float[] dk, int dkOff, float[] dv, int dvOff,
                  float[] dout, int doOff, float[] o, int oOff, float[] lse, int lseOff,
                  float[] q, int qOff, int ldq, float[] k, int kOff, int ldk, float[] v, int vOff, int ldv,
                  float[] keep, int keepOff, AttentionShape s, float[] ws);
}
