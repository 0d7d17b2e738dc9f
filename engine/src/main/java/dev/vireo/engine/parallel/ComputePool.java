package dev.vireo.engine.parallel;

import dev.vireo.engine.VireoProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Vireo's own fork-join pool. Work is cut into chunks whose boundaries depend only on the problem
 * size and a fixed chunk length, never on the thread count; each chunk writes its own outputs (or
 * its own partial result, combined afterwards in chunk order), so every result is bit-identical
 * whether 1 or N threads run it. Kernels never create threads; only this class does.
 *
 * <p>We do not use {@code ForkJoinPool.commonPool()}: on a 2-core machine its parallelism is 1.
 */
public final class ComputePool implements AutoCloseable {

    /** Body of a parallel loop over the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /** Body of a parallel loop over chunk indices. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk);
    }

    private static volatile ComputePool global;

    private final ForkJoinPool pool;
    private final int threads;

    public ComputePool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("ComputePool: threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, p -> {
            var worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            worker.setName("vireo-compute-" + worker.getPoolIndex());
            worker.setDaemon(true);
            return worker;
        }, null, false);
    }

    /** The process-wide pool, sized by {@code -Dvireo.threads} (default: available processors). */
    public static ComputePool global() {
        ComputePool p = global;
        if (p == null) {
            synchronized (ComputePool.class) {
                p = global;
                if (p == null) {
                    int n = VireoProperties.getInt(VireoProperties.THREADS, Runtime.getRuntime().availableProcessors());
                    global = p = new ComputePool(Math.max(1, n));
                }
            }
        }
        return p;
    }

    /** Replaces the global pool (tests and benchmarks compare thread counts this way). */
    public static synchronized void setGlobalThreads(int threads) {
        ComputePool old = global;
        global = new ComputePool(threads);
        if (old != null) old.close();
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into chunks of {@code chunk} elements (the last one
     * shorter). The cut depends only on {@code n} and {@code chunk}.
     */
    public void parallelFor(int n, int chunk, RangeBody body) {
        if (n <= 0) return;
        if (chunk < 1) throw new IllegalArgumentException("parallelFor: chunk must be >= 1, got " + chunk);
        int chunks = (n + chunk - 1) / chunk;
        forEachChunk(chunks, c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
    }

    /** Runs {@code body} once for each chunk index in {@code [0, chunks)}, in parallel. */
    public void forEachChunk(int chunks, ChunkBody body) {
        if (chunks <= 0) return;
        // Inline when there is nothing to share, or when called from inside one of our own tasks:
        // nested fork-join only adds overhead, and the chunking (hence the result) is the same.
        if (pool == null || chunks == 1 || ForkJoinTask.getPool() == pool) {
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        pool.invoke(new ChunkTask(body, 0, chunks));
    }

    /**
     * Sums per-chunk partial results in chunk order: deterministic for any thread count.
     * {@code partial} computes the double sum of chunk {@code c}.
     */
    public double sumChunks(int chunks, java.util.function.IntToDoubleFunction partial) {
        double[] parts = new double[chunks];
        forEachChunk(chunks, c -> parts[c] = partial.applyAsDouble(c));
        double total = 0;
        for (double p : parts) total += p;
        return total;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdown();
    }

    private static final class ChunkTask extends RecursiveAction {
        private final ChunkBody body;
        private final int from;
        private final int to;

        ChunkTask(ChunkBody body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.run(from);
                return;
            }
            List<ChunkTask> tasks = new ArrayList<>(2);
            int mid = (from + to) >>> 1;
            tasks.add(new ChunkTask(body, from, mid));
            tasks.add(new ChunkTask(body, mid, to));
            invokeAll(tasks);
        }
    }
}
