/**
 * The optimizer family: {@link OptimizerKernels} (the fused AdamW update), reference {@link
 * ScalarOptimizerKernels}, vector {@link VectorOptimizerKernels} (the same bits), and {@link
 * AdamWStep}, which cuts a model's parameters into fixed chunks on the pool. Parity: {@code
 * AdamWStepTest}; benchmark: {@code AdamWBench}.
 */
package dev.vireo.engine.kernel.optim;
