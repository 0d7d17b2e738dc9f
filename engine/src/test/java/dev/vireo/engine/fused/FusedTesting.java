package dev.vireo.engine.fused;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared helpers of the fused-op tests: closeness with a clear message, kernels at every width, thread counts. */
final class FusedTesting {
    private FusedTesting() {}

    /** |actual - expected| ≤ atol + rtol·|expected| for every element, naming the first that is not. */
    static void assertAllClose(float[] actual, float[] expected, double rtol, double atol, String what) {
        assertThat(actual.length).as(what + ": length").isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            boolean same = Float.compare(actual[i], expected[i]) == 0;
            if (!same && !(err <= atol + rtol * Math.abs(expected[i]))) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (|diff| " + err + " > " + (atol + rtol * Math.abs(expected[i])) + ")");
            }
        }
    }

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
