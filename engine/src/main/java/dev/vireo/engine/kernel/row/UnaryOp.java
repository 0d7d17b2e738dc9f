package dev.vireo.engine.kernel.row;

/** The pointwise functions the kernels compute, each with its derivative. */
public enum UnaryOp {
    /** exp(x) */
    EXP,
    /** tanh(x) */
    TANH,
    /** σ(x) = 1 / (1 + exp(-x)) */
    SIGMOID,
    /** max(x, 0) */
    RELU,
    /** x·Φ(x) = x·(1 + erf(x/√2))/2 (exact GELU) */
    GELU,
    /** x·(1 + tanh(√(2/π)(x + 0.044715x³)))/2 (GELU, tanh approximation) */
    GELU_TANH,
    /** x·σ(1.702x) (CLIP's QuickGELU) */
    QUICK_GELU
}
