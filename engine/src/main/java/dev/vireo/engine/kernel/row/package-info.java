/**
 * The pointwise and row family: {@link RowKernels}, its reference {@link ScalarRowKernels} (with
 * {@link ScalarMath}, the scalar functions) and the Vector API form {@link VectorRowKernels} (with
 * {@link VectorPointwise}, {@link VectorMath} and {@link VectorTranspose}). Parity: {@code
 * RowKernelsParityTest}; benchmark: {@code RowKernelsBench}. The map of every family is in the
 * package-info of {@code dev.vireo.engine.kernel}.
 */
package dev.vireo.engine.kernel.row;
