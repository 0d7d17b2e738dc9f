package dev.vireo.engine.testing;

import dev.vireo.engine.parallel.ComputePool;

import java.util.function.Supplier;

/** Runs a body with the global compute pool at a given thread count (the determinism tests' tool). */
public final class Threads {
    private Threads() {}

    /** Runs {@code body} with the global pool at {@code threads} threads, restoring the count it had before. */
    public static <T> T withThreads(int threads, Supplier<T> body) {
        int before = ComputePool.global().threads();
        ComputePool.setGlobalThreads(threads);
        try {
            return body.get();
        } finally {
            ComputePool.setGlobalThreads(before);
        }
    }
}
