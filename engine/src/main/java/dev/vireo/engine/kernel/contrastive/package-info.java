/**
 * The contrastive-loss family: {@link ContrastiveKernels}, reference {@link
 * ScalarContrastiveKernels}, vector {@link VectorContrastiveKernels}. The blocks of logits come
 * from the GEMM family through {@link PairwiseLogits}; {@link ContrastiveReference} is the whole
 * loss in double, the specification of the op. Parity: {@code ContrastiveKernelsParityTest},
 * {@code ContrastiveLossTest}; benchmark: {@code InfoNceBench}.
 */
package dev.vireo.engine.kernel.contrastive;
