package dev.vireo.engine.kernel;

import dev.vireo.engine.VireoProperties;

import java.util.logging.Logger;

/**
 * Chooses the kernel implementation once, at first use, and says which (the pattern of Lucene's
 * {@code VectorizationProvider}). {@code -Dvireo.kernels=scalar|vector|auto} forces the choice,
 * {@code -Dvireo.vectorBits=128|256|512} the width. Without the {@code jdk.incubator.vector}
 * module it falls back to {@link ScalarKernels} with a message naming the flag that enables it.
 */
public final class KernelProvider {
    private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());

    private KernelProvider() {}

    /** The kernels every op uses. */
    public static Kernels kernels() {
        return Holder.INSTANCE;
    }

    /** Why the scalar kernels were chosen, or null when the vector ones run. */
    public static String fallbackReason() {
        return Holder.reason;
    }

    /** True when the Vector API module is in the boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Vector kernels at a given width (128, 256 or 512); tests use this to cover every width. */
    public static Kernels vector(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("vector width must be 128, 256 or 512 bits, got " + bits);
        }
        if (!vectorModulePresent()) {
            throw new IllegalStateException("the Vector API is not available: run java with --add-modules jdk.incubator.vector");
        }
        try {
            Class<?> cls = Class.forName("dev.vireo.engine.kernel.VectorKernels");
            return (Kernels) cls.getMethod("forBits", int.class).invoke(null, bits);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create the vector kernels: " + e, e);
        }
    }

    /** The CPU's preferred vector width in bits, or 0 without the Vector API. */
    public static int preferredBits() {
        if (!vectorModulePresent()) return 0;
        try {
            Class<?> cls = Class.forName("dev.vireo.engine.kernel.VectorKernels");
            return ((Number) cls.getMethod("preferredBits").invoke(null)).intValue();
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    private static final class Holder {
        static String reason;
        static final Kernels INSTANCE = choose();

        private static Kernels choose() {
            String mode = VireoProperties.get(VireoProperties.KERNELS, "auto");
            Kernels chosen;
            switch (mode) {
                case "scalar" -> {
                    reason = "forced by -D" + VireoProperties.KERNELS + "=scalar";
                    chosen = new ScalarKernels();
                }
                case "vector", "auto" -> {
                    if (!vectorModulePresent()) {
                        reason = "the jdk.incubator.vector module is absent; add the JVM flag --add-modules jdk.incubator.vector";
                        if (mode.equals("vector")) throw new IllegalStateException("-D" + VireoProperties.KERNELS + "=vector: " + reason);
                        LOG.warning("Vireo runs its scalar kernels: " + reason);
                        chosen = new ScalarKernels();
                    } else {
                        int bits = VireoProperties.getInt(VireoProperties.VECTOR_BITS, preferredBits());
                        chosen = vector(bits);
                    }
                }
                default -> throw new IllegalArgumentException(
                        "-D" + VireoProperties.KERNELS + "=" + mode + ": expected scalar, vector or auto");
            }
            LOG.fine(() -> "Vireo kernels: " + chosen.name());
            return chosen;
        }
    }
}
