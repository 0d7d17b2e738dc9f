/**
 * The kernels: single-threaded, allocation-free loops over {@code float[]} with offsets, in families,
 * each with a scalar reference (the specification, plain loops summing in double) and a Vector API
 * implementation at 128, 256 or 512 bits. {@link dev.vireo.engine.kernel.KernelProvider} chooses one
 * implementation of every family once ({@code KernelProvider.get().rows()}, {@code .gemm()}, ...);
 * ops reach it through the device seam, {@code ComputeProvider.get().kernels()}. Parity tests run each
 * function on every provider in one line ({@code ProviderParity.assertArrayWritingProviders}).
 *
 * <table>
 * <caption>Where each family lives</caption>
 * <tr><th>family (getter)</th><th>ops built on it</th><th>reference</th><th>vector code</th><th>parity test</th><th>benchmark</th></tr>
 * <tr><td>rows ({@code rows()}): arithmetic, dot, sum, max, activations and their derivatives,
 *     softmax, log-softmax, layer norm forward/backward, exp-and-sum</td>
 *     <td>autograd {@code Elementwise}, {@code Reductions}, {@code Softmax}, {@code Norms}, {@code Losses};
 *     the row steps of {@code Attention} and {@code ContrastiveLoss}</td>
 *     <td>{@code row.ScalarRowKernels}, {@code row.ScalarMath}</td>
 *     <td>{@code row.VectorRowKernels}, {@code row.VectorPointwise}, {@code row.VectorMath}</td>
 *     <td>{@code row.RowKernelsParityTest}, {@code row.VectorRowKernelsDeterminismTest}</td>
 *     <td>{@code RowKernelsBench}</td></tr>
 * <tr><td>GEMM ({@code gemm()}): C = epilogue(op(A)·op(B)) with bias, activation, residual</td>
 *     <td>{@code LinearOp}, {@code Matmul}, the CPU provider's {@code linear}, {@code PairwiseLogits}</td>
 *     <td>{@code gemm.ScalarGemm}</td><td>{@code gemm.PackedGemm}, {@code gemm.MicroKernel}, {@code gemm.GemmPacking}</td>
 *     <td>{@code gemm.PackedGemmParityTest}, {@code gemm.GemmTest}</td><td>{@code GemmBench}, {@code bench kernels}</td></tr>
 * <tr><td>tiles ({@code tiles()}): block GEMM, tile transpose, row dots</td><td>{@code attention.FlashAttentionKernel}</td>
 *     <td>{@code attention.ScalarTileKernels}</td><td>{@code attention.VectorTileKernels}, {@code row.VectorTranspose}</td>
 *     <td>{@code attention.TileKernelsParityTest}</td><td>{@code AttentionBench}</td></tr>
 * <tr><td>attention ({@code attention()}): one head, forward and backward</td><td>autograd {@code Attention}</td>
 *     <td>{@code attention.ScalarAttentionKernel}</td><td>{@code attention.FlashAttentionKernel} on the provider's tiles and rows</td>
 *     <td>autograd {@code AttentionParityTest}, {@code AttentionTest}</td><td>{@code AttentionBench}, {@code bench kernels}</td></tr>
 * <tr><td>contrastive ({@code contrastive()}): InfoNCE and SigLIP row and column steps</td><td>autograd {@code ContrastiveLoss}</td>
 *     <td>{@code contrastive.ScalarContrastiveKernels}; the whole loss: {@code contrastive.ContrastiveReference}</td>
 *     <td>{@code contrastive.VectorContrastiveKernels}</td>
 *     <td>{@code contrastive.ContrastiveKernelsParityTest}, autograd {@code ContrastiveLossTest}</td>
 *     <td>{@code InfoNceBench}, {@code bench kernels}</td></tr>
 * <tr><td>optimizer ({@code optimizer()}): the fused AdamW update</td><td>{@code optim.AdamW} through {@code optim.AdamWStep}</td>
 *     <td>{@code optim.ScalarOptimizerKernels}</td><td>{@code optim.VectorOptimizerKernels}</td>
 *     <td>{@code optim.AdamWStepTest} (bit for bit)</td><td>{@code AdamWBench}</td></tr>
 * </table>
 *
 * <p>The subpackages never depend on this one or on tensors; only {@code KernelProvider} and
 * {@code VectorKernelProvider} see every family. The classes that import {@code jdk.incubator.vector}
 * are reached by name, so the engine runs (on the references) without the module.
 */
package dev.vireo.engine.kernel;
