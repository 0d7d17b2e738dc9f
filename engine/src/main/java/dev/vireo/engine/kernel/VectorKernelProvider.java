package dev.vireo.engine.kernel;

import dev.vireo.engine.kernel.attention.FlashAttentionKernel;
import dev.vireo.engine.kernel.attention.TileKernels;
import dev.vireo.engine.kernel.attention.VectorTileKernels;
import dev.vireo.engine.kernel.contrastive.VectorContrastiveKernels;
import dev.vireo.engine.kernel.gemm.PackedGemm;
import dev.vireo.engine.kernel.optim.VectorOptimizerKernels;
import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.VectorRowKernels;

/**
 * Builds the Vector API {@link KernelProvider}. The only class of this package that links the vector
 * families (and so {@code jdk.incubator.vector}); {@link KernelProvider} reaches it by name.
 */
public final class VectorKernelProvider {
    private VectorKernelProvider() {}

    /** Every family at {@code bits}. */
    public static KernelProvider create(int bits) {
        RowKernels rows = VectorRowKernels.create(bits);
        TileKernels tiles = VectorTileKernels.create(bits);
        return new KernelProvider(bits, rows, new PackedGemm(bits), tiles, new FlashAttentionKernel(tiles, rows),
                VectorContrastiveKernels.create(bits), VectorOptimizerKernels.create(bits));
    }

    /** The CPU's preferred vector width in bits. */
    public static int preferredBits() {
        return VectorRowKernels.preferredBits();
    }
}
