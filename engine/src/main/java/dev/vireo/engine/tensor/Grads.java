package dev.vireo.engine.tensor;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The gradients flowing through one backward pass. Leaves that require gradients keep theirs
 * in {@link Tensor#grad()} (accumulating over passes); intermediate gradients live here only
 * until their node has run.
 */
public final class Grads {
    private final Map<Tensor, float[]> pending = new IdentityHashMap<>();

    Grads() {}

    /**
     * The buffer to add {@code t}'s gradient into (dense, row-major, t's shape), or null when t
     * needs no gradient. Accumulate with +=; never overwrite.
     */
    public float[] buffer(Tensor t) {
        if (t == null || !t.requiresGrad()) return null;
        if (t.isLeaf()) return t.gradBuffer();
        return pending.computeIfAbsent(t, k -> BufferPool.takeZeroed(k.numel())); // (t's shape): zeros to add into
    }

    /**
     * Adds {@code g} (dense, t's shape) into t's gradient, handing {@code g} over: when t (an
     * intermediate) has no gradient yet, g becomes it without a copy. Only for an array nobody else
     * will read or write after this call (a fresh result, or the gradOut a backward function was given,
     * handed to one input only, as the last use of it).
     */
    public void accumulateOwned(Tensor t, float[] g) {
        if (t == null || !t.requiresGrad()) return;
        if (!t.isLeaf() && g.length == t.numel() && pending.putIfAbsent(t, g) == null) return;
        accumulate(t, g);
    }

    /** Adds {@code g} (dense, t's shape) into t's gradient. */
    public void accumulate(Tensor t, float[] g) {
        float[] dst = buffer(t);
        if (dst == null) return;
        ComputeProvider.get().kernels().rows().add(dst, 0, dst, 0, g, 0, dst.length);
    }

    float[] take(Tensor t) {
        return pending.remove(t);
    }

    /**
     * Whether {@code g} is some tensor's pending gradient (handed over during the op that read it). An
     * identity scan of the values: only the frontier of the backward pass is pending at any time.
     */
    boolean isPending(float[] g) {
        return pending.containsValue(g);
    }
}
