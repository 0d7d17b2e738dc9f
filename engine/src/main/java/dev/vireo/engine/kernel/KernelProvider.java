package dev.vireo.engine.kernel;

import dev.vireo.engine.VireoProperties;
import dev.vireo.engine.kernel.attention.AttentionKernel;
import dev.vireo.engine.kernel.attention.FlashAttentionKernel;
import dev.vireo.engine.kernel.attention.ScalarTileKernels;
import dev.vireo.engine.kernel.attention.TileKernels;
import dev.vireo.engine.kernel.contrastive.ContrastiveKernels;
import dev.vireo.engine.kernel.contrastive.ScalarContrastiveKernels;
import dev.vireo.engine.kernel.gemm.GemmKernel;
import dev.vireo.engine.kernel.gemm.ScalarGemm;
import dev.vireo.engine.kernel.optim.OptimizerKernels;
import dev.vireo.engine.kernel.optim.ScalarOptimizerKernels;
import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.ScalarRowKernels;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Every kernel family at one implementation: the scalar references, or the Vector API kernels at one
 * width. The choice is made here once, at first use, and nowhere else (the pattern of Lucene's
 * {@code VectorizationProvider}: one holder, a typed getter per family). {@code -Dvireo.kernels=scalar|vector|auto}
 * forces it, {@code -Dvireo.vectorBits=128|256|512} the width; without the {@code jdk.incubator.vector}
 * module it falls back to the scalar references with a message naming the flag that enables them.
 * Tests run every function against {@link #all()}; the families, their references, vector code,
 * parity tests and benchmarks are listed in this package's {@code package-info.java}.
 *
 * @param bits        the vector width in bits, 0 for the scalar references
 * @param rows        pointwise and row ops: arithmetic, activations, softmax, layer norm, exp-and-sum
 * @param gemm        whole matrix products with a fused epilogue
 * @param tiles       the block GEMM, transpose and row dots inside fused attention
 * @param attention   one head of scaled dot-product attention, forward and backward
 * @param contrastive the row and column steps of the CLIP and SigLIP losses
 * @param optimizer   the fused AdamW update
 */
public record KernelProvider(int bits, RowKernels rows, GemmKernel gemm, TileKernels tiles, AttentionKernel attention,
                             ContrastiveKernels contrastive, OptimizerKernels optimizer) {
    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());
    private static final String VECTOR_FACTORY = "dev.vireo.engine.kernel.VectorKernelProvider";

    /** The kernels every op uses, chosen once. */
    public static KernelProvider get() {
        if (Holder.INSTANCE == null) throw new IllegalStateException(Holder.error.getMessage(), Holder.error);
        return Holder.INSTANCE;
    }

    /** The scalar references: plain loops, the specification every other implementation is tested against. */
    public static KernelProvider scalar() {
        RowKernels rows = new ScalarRowKernels();
        TileKernels tiles = new ScalarTileKernels();
        return new KernelProvider(0, rows, new ScalarGemm(), tiles, new FlashAttentionKernel(tiles, rows),
                new ScalarContrastiveKernels(), new ScalarOptimizerKernels());
    }

    /** The Vector API kernels at 128, 256 or 512 bits (any width runs on any CPU, wide ones slowly where emulated). */
    public static KernelProvider vector(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits, got " + bits);
        }
        if (!vectorModulePresent()) {
            throw new IllegalStateException("the Vector API is not available: run java with --add-modules jdk.incubator.vector");
        }
        try { // by name, so this class links without the incubator module
            return (KernelProvider) Class.forName(VECTOR_FACTORY).getMethod("create", int.class).invoke(null, bits);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the vector kernels: " + e, e);
        }
    }

    /** The scalar references and, with the Vector API, every width: what parity tests run each function on. */
    public static List<KernelProvider> all() {
        List<KernelProvider> all = new ArrayList<>(List.of(scalar()));
        if (vectorModulePresent()) for (int bits : new int[] {128, 256, 512}) all.add(vector(bits));
        return all;
    }

    /** Why the scalar kernels were chosen, or null when the vector ones run. */
    public static String fallbackReason() {
        get();
        return Holder.reason;
    }

    /** True when the Vector API module is in the boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The CPU's preferred vector width in bits, or 0 without the Vector API. */
    public static int preferredBits() {
        if (!vectorModulePresent()) return 0;
        try {
            return ((Number) Class.forName(VECTOR_FACTORY).getMethod("preferredBits").invoke(null)).intValue();
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    /** {@code scalar} or {@code vector-512}: for logs, benchmarks and {@code vireo info}. */
    public String name() {
        return isScalar() ? "scalar" : "vector-" + bits;
    }

    /** True for the scalar references. */
    public boolean isScalar() {
        return bits == 0;
    }

    @Override
    public String toString() {
        return name();
    }

    private static final class Holder {
        static String reason;
        static RuntimeException error; // a bad property: thrown again at every use, as one line
        static final KernelProvider INSTANCE = chooseOrRemember();

        private static KernelProvider chooseOrRemember() {
            try {
                return choose();
            } catch (RuntimeException e) {
                error = e;
                return null;
            }
        }

        private static KernelProvider choose() {
            String mode = VireoProperties.get(VireoProperties.KERNELS, "auto");
            KernelProvider chosen = switch (mode) {
                case "scalar" -> {
                    reason = "forced by -D" + VireoProperties.KERNELS + "=scalar";
                    yield scalar();
                }
                case "vector", "auto" -> {
                    if (vectorModulePresent()) yield vector(VireoProperties.getInt(VireoProperties.VECTOR_BITS, preferredBits()));
                    reason = "the jdk.incubator.vector module is absent; add the JVM flag --add-modules jdk.incubator.vector";
                    if (mode.equals("vector")) throw new IllegalStateException("-D" + VireoProperties.KERNELS + "=vector: " + reason);
                    LOG.warning("Vireo runs its scalar kernels: " + reason);
                    yield scalar();
                }
                default -> throw new IllegalArgumentException(
                        "-D" + VireoProperties.KERNELS + "=" + mode + ": expected scalar, vector or auto");
            };
            LOG.fine(() -> "Vireo kernels: " + chosen.name());
            return chosen;
        }
    }
}
