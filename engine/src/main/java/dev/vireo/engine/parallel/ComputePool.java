package dev.vireo.engine.parallel;

import dev.vireo.engine.VireoProperties;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Vireo's own fork-join pool. Work is cut into chunks whose boundaries depend only on the problem
 * size and a fixed chunk length, never on the thread count; each chunk writes its own outputs (or
 * its own partial result, combined afterwards in chunk order), so every result is bit-identical
 * whether 1 or N threads run it. Kernels never create threads; only this class does.
 *
 * <p>The calling thread runs chunks too, beside {@code threads - 1} pool workers that claim chunks
 * from the same counter: a call costs no hand-over to a parked worker before work starts (20-75 µs
 * on a 2-core VM when the caller only waited), and a worker that wakes late finds the chunks done.
 * We do not use {@code ForkJoinPool.commonPool()}: on a 2-core machine its parallelism is 1.
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
    /** Set while a thread runs chunks of a call, so that a call from inside a chunk runs inline. */
    private static final ThreadLocal<boolean[]> IN_CHUNK = ThreadLocal.withInitial(() -> new boolean[1]);
    /** How long the caller spins for the workers' last chunks before it parks. */
    private static final long SPIN_NANOS = 20_000;

    private final ForkJoinPool pool;
    private final int threads;

    public ComputePool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("ComputePool: threads must be >= 1, got " + threads);
        this.threads = threads;
        AtomicInteger names = new AtomicInteger();
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1, p -> {
            var worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            worker.setName("vireo-compute-" + names.getAndIncrement());
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
        // Inline when there is nothing to share, or when called from inside a chunk: nested
        // parallelism only adds overhead, and the chunking (hence the result) is the same.
        boolean[] inChunk = pool == null || chunks == 1 ? null : IN_CHUNK.get();
        if (inChunk == null || inChunk[0]) {
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        Call call = new Call(body, chunks, Thread.currentThread());
        for (int h = Math.min(threads - 1, chunks - 1); h > 0; h--) pool.execute(call);
        call.runChunks(inChunk);
        call.await();
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

    /**
     * One parallel call: chunk indices are claimed from a counter by the caller and the helpers, so
     * whoever is free takes the next one; the caller returns once every chunk has finished. The first
     * failure is rethrown to the caller, and chunks not yet started are skipped after it.
     */
    private static final class Call implements Runnable {
        private final ChunkBody body;
        private final int chunks;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable failure;

        Call(ChunkBody body, int chunks, Thread caller) {
            this.body = body;
            this.chunks = chunks;
            this.caller = caller;
        }

        @Override
        public void run() { // on a pool worker
            runChunks(IN_CHUNK.get());
        }

        void runChunks(boolean[] inChunk) {
            inChunk[0] = true;
            try {
                for (int c; (c = next.getAndIncrement()) < chunks; ) {
                    try {
                        if (failure == null) body.run(c);
                    } catch (Throwable t) {
                        if (failure == null) failure = t;
                    }
                    if (done.incrementAndGet() == chunks) LockSupport.unpark(caller);
                }
            } finally {
                inChunk[0] = false;
            }
        }

        /** Waits (spinning briefly, then parked) for the chunks other threads still run; rethrows a failure. */
        void await() {
            long start = System.nanoTime();
            while (done.get() < chunks) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            Throwable t = failure;
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }
}
