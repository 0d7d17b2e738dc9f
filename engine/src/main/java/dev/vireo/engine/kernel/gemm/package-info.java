/**
 * The GEMM family: {@link GemmKernel} (whose {@code multiply} checks every bound), the reference
 * {@link ScalarGemm} and the packed Vector API GEMM {@link PackedGemm} (packing in {@link
 * GemmPacking}, register tiles in {@link MicroKernel}, the fused bias, activation and residual in
 * {@link Epilogue}). Parity: {@code PackedGemmParityTest}; benchmark: {@code GemmBench} and {@code
 * bin/vireo bench kernels}.
 */
package dev.vireo.engine.kernel.gemm;
