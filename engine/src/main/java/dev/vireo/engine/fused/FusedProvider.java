package dev.vireo.engine.fused;

import dev.vireo.engine.kernel.KernelProvider;

import java.util.logging.Logger;

/**
 * Chooses the {@link FusedKernels} once, following {@link KernelProvider}: the Vector API ones at
 * the same width when the engine runs its vector kernels (so {@code -Dvireo.kernels} and
 * {@code -Dvireo.vectorBits} steer both), else the scalar reference.
 */
public final class FusedProvider {
    private static final Logger LOG = Logger.getLogger(FusedProvider.class.getName());

    private FusedProvider() {}

    /** The fused kernels every op of this package uses. */
    public static FusedKernels kernels() {
        return Holder.INSTANCE;
    }

    /** The scalar reference. */
    public static FusedKernels scalar() {
        return new ScalarFusedKernels();
    }

    /** Vector kernels at 128, 256 or 512 bits; tests use this to cover every width. */
    public static FusedKernels vector(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("fused kernels: vector width must be 128, 256 or 512 bits, got " + bits);
        }
        if (!KernelProvider.vectorModulePresent()) {
            throw new IllegalStateException("fused kernels: the Vector API is not available: run java with --add-modules jdk.incubator.vector");
        }
        try {
            Class<?> cls = Class.forName("dev.vireo.engine.fused.VectorFusedKernels");
            return (FusedKernels) cls.getMethod("create", int.class).invoke(null, bits);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fused kernels: cannot create the vector kernels: " + e, e);
        }
    }

    private static final class Holder {
        static final FusedKernels INSTANCE = choose();

        private static FusedKernels choose() {
            String engine = KernelProvider.kernels().name();
            FusedKernels chosen = engine.startsWith("vector-")
                    ? vector(Integer.parseInt(engine.substring("vector-".length())))
                    : scalar();
            LOG.fine(() -> "Vireo fused kernels: " + chosen.name());
            return chosen;
        }
    }
}
