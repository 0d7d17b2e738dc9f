package dev.vireo.engine.backend;

/**
 * The short, explicit list of ops a device backend runs. A backend need not support all of them
 * ({@link Backend#supports}); the caller falls back to the CPU for the rest. Each op's arguments are
 * listed here so every backend reads them the same way.
 */
public enum BackendOp {
    /** out(M, N) = a(M, K) · b(K, N); inputs a, b. */
    MATMUL(2),
    /** out(M, N) = a(M, K) · b(N, K)ᵀ (a linear layer with PyTorch-layout weights); inputs a, b. */
    MATMUL_NT(2),
    /** out = a + b, same shape; inputs a, b. */
    ADD(2),
    /** out = a + bias broadcast over rows; inputs a(M, N), bias(N). */
    ADD_ROW_BIAS(2),
    /** out = GELU(a) (exact); input a. */
    GELU(1),
    /** out = a·σ(1.702a); input a. */
    QUICK_GELU(1),
    /** Softmax over the last axis; input a. */
    SOFTMAX(1),
    /** Layer norm over the last axis, eps 1e-5; inputs a(M, N), gamma(N), beta(N). */
    LAYER_NORM(3);

    private final int arity;

    BackendOp(int arity) {
        this.arity = arity;
    }

    /** Number of input buffers. */
    public int arity() {
        return arity;
    }
}
