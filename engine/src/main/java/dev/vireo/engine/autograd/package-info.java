/**
 * Autograd ops: each computes its forward values (through the device seam, {@code
 * ComputeProvider.get()}, or on its host kernels where the backward pass needs what the forward
 * pass saw) and records a {@code Node} whose backward runs on the host kernels. {@link
 * CpuProvider} is the CPU {@code ComputeProvider}. Fused ops: {@link Attention} (the attention
 * kernel family), {@link ContrastiveLoss} (the contrastive family), {@link LinearOp} (the GEMM
 * with its epilogue). Every op has a double-precision gradient check ({@link GradCheck}; tests
 * {@code CoreOpsGradTest}, {@code NnOpsGradTest}, {@code ReductionsGradTest}, {@code
 * AttentionTest}, {@code ContrastiveLossTest}).
 */
package dev.vireo.engine.autograd;
