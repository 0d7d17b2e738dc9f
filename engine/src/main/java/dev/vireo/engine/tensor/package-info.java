/**
 * Tensors and what they are made of: {@link Tensor} (views over {@link Storage}, heap arrays or
 * memory segments), the autograd graph ({@link Node}, {@link Grads}, {@link GradMode}), shapes,
 * the seeded {@link Rng}, the forward passes' {@link BufferPool}, and the device seam {@link
 * ComputeProvider}, found through the service loader. Tensor's fluent methods call the ops of
 * {@code dev.vireo.engine.autograd}: the two packages are one layer.
 */
package dev.vireo.engine.tensor;
