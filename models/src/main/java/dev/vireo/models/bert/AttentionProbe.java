package dev.vireo.models.bert;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;

/**
 * The explain path of one {@link BertAttention}: attention computed from recorded ops,
 * A = softmax(scale·Q·Kᵀ + mask) then A·V, with the probabilities A (B, H, T, S) kept for the
 * caller, and, when gradients are recorded, their gradient after a backward pass (as ALBEF's
 * {@code save_attention} and {@code register_hook} on the attention probabilities). The fused
 * kernel of the normal path saves no probabilities; this path is slower and for inspection only.
 *
 * <p>The gradient is read through a zero leaf added to A: a leaf's gradient is ∂L/∂A itself, and
 * the probabilities' own graph (back to Q and K, and on to earlier layers) is left whole. A probe
 * holds the last forward pass through its sub-layer; it is not for use by two threads at once.
 */
public final class AttentionProbe {
    private final Tensor offset;  // fixed values added to A in place of the zero leaf, or null
    private Tensor probabilities; // (B, H, T, S) of the last pass, or null
    private Tensor handle;        // (B, H, T, S) leaf added to A, or null when no graph was recorded

    /** A probe that records probabilities, and their gradient when the forward pass records a graph. */
    public AttentionProbe() {
        this(null);
    }

    /**
     * A probe that adds {@code offset} (B, H, T, S) to the probabilities instead of a zero leaf:
     * nudging one probability by ε gives the finite difference a gradient check compares with
     * {@link #gradient()} (then the offset's own gradient).
     */
    AttentionProbe(Tensor offset) {
        this.offset = offset;
    }

    /** The probabilities (B, H, T, S) of the last forward pass, rows summing to 1 over unmasked keys. */
    public Tensor probabilities() {
        if (probabilities == null) throw new IllegalStateException("attention probe: no forward pass has gone through it yet");
        return probabilities;
    }

    /** ∂L/∂A (B, H, T, S) after {@code L.backward()}, or null if no graph was recorded or no gradient reached A. */
    public Tensor gradient() {
        return handle == null ? null : handle.grad();
    }

    /**
     * Multi-head attention on the projections' layout: q (B, T, H·D), k (B, S, H·D), v (B, S, H·D)
     * → (B, T, H·D), the values {@code Attention.multiHead} gives, recording A on the way.
     *
     * @param keyMask (B, S): 1 for keys to attend to, 0 for padding, or null for all
     */
    Tensor attend(Tensor q, Tensor k, Tensor v, int heads, Tensor keyMask, float scale) {
        int b = q.size(0), t = q.size(1), s = k.size(1), c = q.size(2), d = c / heads;
        Tensor qh = q.reshape(b, t, heads, d).permute(0, 2, 1, 3);         // (B, H, T, D)
        Tensor kh = k.reshape(b, s, heads, d).permute(0, 2, 1, 3);         // (B, H, S, D)
        Tensor vh = v.reshape(b, s, heads, d).permute(0, 2, 1, 3);         // (B, H, S, D)
        Tensor scores = qh.matmul(kh.transpose(2, 3)).mul(scale);          // (B, H, T, S)
        if (keyMask != null) {
            Tensor hidden = keyMask.mul(-1f).add(1f).reshape(b, 1, 1, s);  // (B, 1, 1, S): 1 where padding
            scores = scores.maskedFill(hidden, Float.NEGATIVE_INFINITY);   // (B, H, T, S): exp(-inf) = 0
        }
        Tensor a = scores.softmax(-1);                                     // (B, H, T, S)
        handle = offset != null ? offset : GradMode.isEnabled() ? Tensor.zeros(b, heads, t, s).requiresGrad(true) : null; // (B, H, T, S)
        probabilities = a;
        if (handle != null) a = a.add(handle);                             // (B, H, T, S): same values, ∂L/∂A lands on the leaf
        Tensor o = a.matmul(vh);                                           // (B, H, T, D)
        return o.permute(0, 2, 1, 3).reshape(b, t, c);                     // (B, T, H·D)
    }
}
