/**
 * One head of attention: {@link AttentionKernel}, the reference {@link ScalarAttentionKernel} (the
 * whole score matrix, in double) and {@link FlashAttentionKernel} (tiles with an online softmax;
 * {@link ShortSequenceAttention} for heads of one tile), built on the tile family {@link
 * TileKernels} (reference {@link ScalarTileKernels}, vector {@link VectorTileKernels}) and the row
 * family. Parity: {@code TileKernelsParityTest} here, {@code AttentionParityTest} at the op;
 * benchmark: {@code AttentionBench}.
 */
package dev.vireo.engine.kernel.attention;
