/**
 * Layers built from autograd ops: {@link Module} and {@link Parameter}, {@link Linear}, {@link
 * LayerNorm}, {@link Embedding}, {@link Mlp}, {@link MultiHeadAttention}, {@link
 * TransformerBlock}, {@link PatchEmbedding}, {@link Dropout}.
 */
package dev.vireo.engine.nn;
