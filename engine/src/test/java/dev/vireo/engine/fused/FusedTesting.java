package dev.vireo.engine.fused;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Shared helpers of the fused-op tests: kernels at every width, thread counts. */
final class FusedTesting {
    private FusedTesting() {}

    /** The scalar fused kernels and the vector ones at every width (when the Vector API is present). */
    static List<FusedKernels> allKernels() {
        List<FusedKernels> list = new ArrayList<>();
        list.add(FusedProvider.scalar());
        if (KernelProvider.vectorModulePresent()) {
            for (int bits : new int[] {128, 256, 512}) list.add(FusedProvider.vector(bits));
        }
        return list;
    }

    static Tensor randn(Rng rng, int... shape) {
        return Tensor.randn(rng, 0f, 1f, shape);
    }

    /** Runs {@code body} with the global pool at {@code threads} threads, restoring the default after. */
    static <T> T withThreads(int threads, Supplier<T> body) {
        ComputePool.setGlobalThreads(threads);
        try {
            return body.get();
        } finally {
            ComputePool.setGlobalThreads(Runtime.getRuntime().availableProcessors());
        }
    }
}
