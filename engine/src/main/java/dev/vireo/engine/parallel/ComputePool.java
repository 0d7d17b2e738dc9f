package dev.vireo.engine.parallel;

import dev.vireo.engine.VireoProperties;

import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntToDoubleFunction;

/**
 * Vireo's own thread pool. Work is cut into chunks whose boundaries depend only on the problem
 * size and a fixed chunk length, never on the thread count; each chunk writes its own outputs (or
 * its own partial result, combined afterwards in chunk order), so every result is bit-identical
 * whether 1 or N threads run it. Kernels never create threads; only this class does.
 * {@link #forEachUnit} shares units whose outputs are their own by timing instead (each thread's
 * own segment first, then the others' tails, then, with a {@link SharedUnitBody}, parts that running
 * units offer through {@link UnitShare}): which thread runs a unit changes, no result does.
 *
 * <p>The calling thread runs chunks too, beside {@code threads - 1} workers that claim chunks from
 * the same counter, so a call starts work without handing it over. A worker that finds no call
 * spins for {@link #IDLE_SPIN_NANOS} before it parks: a forward pass makes a parallel call every
 * few hundred microseconds, and a parked worker takes 20-75 µs to wake on a 2-core VM. With
 * ForkJoinPool workers (which park at once) the worker of a 2-thread pool was parked 5.5% of the
 * time while ViT-B/32 encoded images, mostly while the caller ran the chunks alone. We do not use
 * {@code ForkJoinPool.commonPool()}: on a 2-core machine its parallelism is 1.
 *
 * <p>A pool may start solo: for a while after it is made, every call runs on its caller alone (the
 * same chunks, so the same results). A fresh JVM's kernels run in slow early code (C1, where each
 * Vector API operation is a boxed fallback) until C2 compiles them, and on 2 cores a second compute
 * thread then only takes the core the compilers need: a cold {@code vireo embed} of one ViT-B/32
 * image took 0.86× the time with the first 1.5 s solo, of 64 images 0.89× (with the launcher's JIT
 * thresholds; measured interleaved, 2-core AMD EPYC).
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

    /** Body of a {@link #forEachUnit(int, SharedUnitBody)} call: a unit that may hand part of itself to an idle thread. */
    @FunctionalInterface
    public interface SharedUnitBody {
        void run(int unit, UnitShare share);
    }

    private static volatile ComputePool global;
    /** Set while a thread runs chunks of a call, so that a call from inside a chunk runs inline. */
    private static final ThreadLocal<boolean[]> IN_CHUNK = ThreadLocal.withInitial(() -> new boolean[1]);
    /**
     * How long the caller spins for the workers' last chunks before it parks: as long as an idle
     * worker spins. A parked caller takes 20-75 µs to wake, and a sentence's 30 calls of 20-60 µs
     * chunks often ran past a 20 µs spin: one sentence took 5% longer (9 and 19 tokens, 2 threads).
     */
    private static final long SPIN_NANOS = 200_000;
    /** How long an idle worker spins for the next call before it parks. */
    static final long IDLE_SPIN_NANOS = 200_000;
    /** Stops the workers of a pool that was dropped without {@link #close()}. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final int threads;
    private final Workers workers;
    private final Cleaner.Cleanable cleanable;
    /** Whether the pool starts solo at all: a pool that does not never reads the clock. */
    private final boolean soloStart;
    /** Until this {@link System#nanoTime()}, calls run on their caller alone. */
    private final long soloUntil;

    public ComputePool(int threads) {
        this(threads, 0);
    }

    /**
     * A pool whose calls run on their caller alone for the first {@code soloMillis} milliseconds
     * (0: none), then on {@code threads} threads.
     */
    public ComputePool(int threads, long soloMillis) {
        if (threads < 1) throw new IllegalArgumentException("ComputePool: threads must be >= 1, got " + threads);
        if (soloMillis < 0) throw new IllegalArgumentException("ComputePool: soloMillis must be >= 0, got " + soloMillis);
        this.threads = threads;
        this.soloStart = soloMillis > 0 && threads > 1;
        // toNanos saturates, and soloNow compares by difference, so even Long.MAX_VALUE ms means "solo for good"
        this.soloUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(soloMillis);
        this.workers = threads == 1 ? null : new Workers(threads - 1);
        this.cleanable = workers == null ? null : CLEANER.register(this, workers::close);
    }

    /**
     * The process-wide pool, sized by {@code -Dvireo.threads} (default: available processors), solo
     * for its first {@code -Dvireo.soloStartMillis} (default 0).
     */
    public static ComputePool global() {
        ComputePool p = global;
        if (p == null) {
            synchronized (ComputePool.class) {
                p = global;
                if (p == null) {
                    int n = VireoProperties.getInt(VireoProperties.THREADS, Runtime.getRuntime().availableProcessors());
                    global = p = new ComputePool(Math.max(1, n), Math.max(0, VireoProperties.getLong(VireoProperties.SOLO_START_MILLIS, 0)));
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
        run(chunks, body, false, null);
    }

    /**
     * Runs {@code body} once for each unit in {@code [0, units)}, in parallel, each thread walking
     * its own segment of the range in order: the range is cut into one segment per thread, a thread
     * claims the next unit at its segment's front, and a thread whose segment is done takes units
     * from the back of the segment with the most left. A few claims of long runs, then a tail
     * shared at the granularity of one unit: {@link #forEachChunk}'s calls end when the slower
     * thread's last chunk does, and a request's products of four chunks left the faster waiting
     * for ~6 µs of each ~75 (a worker joins a microsecond late and, on these VMs, runs a few percent
     * slower). Which thread runs a unit depends on timing, so {@code body} must write only that
     * unit's outputs: then the result is the same whatever the thread count.
     */
    public void forEachUnit(int units, ChunkBody body) {
        run(units, body, true, null);
    }

    /**
     * {@link #forEachUnit(int, ChunkBody)} where a thread that has run out of units waits for
     * offers from the units still running ({@link UnitShare}) instead of for their ends.
     */
    public void forEachUnit(int units, SharedUnitBody body) {
        UnitShare share = new UnitShare();
        run(units, u -> body.run(u, share), true, share);
    }

    /** Runs body over [0, n): claimed in order from one counter, or from one segment per thread (helping through share, if any). */
    private void run(int n, ChunkBody body, boolean segmented, UnitShare share) {
        if (n <= 0) return;
        // Inline when there is nothing to share, or when called from inside a chunk: nested
        // parallelism only adds overhead, and the chunking (hence the result) is the same.
        boolean[] inChunk = workers == null || n == 1 || soloNow() ? null : IN_CHUNK.get();
        if (inChunk == null || inChunk[0]) {
            for (int c = 0; c < n; c++) body.run(c);
            return;
        }
        Call call = new Call(body, n, Thread.currentThread(), segmented ? new Segments(n, threads) : null, share);
        workers.submit(call);
        call.runChunks(inChunk);
        workers.calls.remove(call);
        call.await();
    }

    /** Whether calls still run on their caller alone: until {@link #soloUntil}, in a pool that starts solo. */
    private boolean soloNow() {
        return soloStart && System.nanoTime() - soloUntil < 0;
    }

    /**
     * Sums per-chunk partial results in chunk order: deterministic for any thread count.
     * {@code partial} computes the double sum of chunk {@code c}.
     */
    public double sumChunks(int chunks, IntToDoubleFunction partial) {
        double[] parts = new double[chunks];
        forEachChunk(chunks, c -> parts[c] = partial.applyAsDouble(c));
        double total = 0;
        for (double p : parts) total += p;
        return total;
    }

    @Override
    public void close() {
        if (cleanable != null) cleanable.clean();
    }

    /**
     * The workers and the calls they serve. It holds no reference to its {@link ComputePool}, so a
     * pool nobody closed can still be collected, and the {@link Cleaner} then stops these threads.
     */
    private static final class Workers {
        /** Calls that may still have unclaimed chunks, oldest first (several threads may call at once). */
        final ConcurrentLinkedDeque<Call> calls = new ConcurrentLinkedDeque<>();
        private final Worker[] all;
        private volatile boolean closed;

        Workers(int count) {
            all = new Worker[count];
            for (int i = 0; i < count; i++) {
                all[i] = new Worker(this);
                Thread t = new Thread(all[i], "vireo-compute-" + i);
                t.setDaemon(true);
                all[i].thread = t;
                t.start();
            }
        }

        /** Publishes a call and wakes the workers that have parked. */
        void submit(Call call) {
            calls.addLast(call);
            // a worker sets parked, then looks at calls; we added the call, then look at parked:
            // one of us sees the other's write, so no worker sleeps through a call
            for (Worker w : all) if (w.parked) LockSupport.unpark(w.thread);
        }

        void close() {
            closed = true;
            for (Worker w : all) LockSupport.unpark(w.thread);
        }
    }

    /** A worker thread: runs chunks of the oldest call with chunks left, spins a while when there is none, then parks. */
    private static final class Worker implements Runnable {
        private final Workers shared;
        volatile boolean parked;
        Thread thread;

        Worker(Workers shared) {
            this.shared = shared;
        }

        @Override
        public void run() {
            boolean[] inChunk = IN_CHUNK.get();
            long idleSince = System.nanoTime();
            while (!shared.closed) {
                Call call = shared.calls.peekFirst();
                if (call != null) {
                    call.runChunks(inChunk);
                    shared.calls.remove(call); // every chunk is claimed
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < IDLE_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (shared.calls.isEmpty() && !shared.closed) LockSupport.park(this);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }

    /**
     * One parallel call: chunk indices are claimed from a counter by the caller and the helpers, so
     * whoever is free takes the next one, or, with {@link Segments}, from the front of the claiming
     * thread's own segment and then from the backs of the others; the caller returns once every
     * chunk has finished. The first failure is rethrown to the caller, and chunks not yet started
     * are skipped after it.
     */
    private static final class Call {
        private final ChunkBody body;
        private final int chunks;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final Segments segments; // null: chunks claimed in order from next
        private final UnitShare share;   // null: a thread out of chunks leaves the call
        private volatile Throwable failure;

        Call(ChunkBody body, int chunks, Thread caller, Segments segments, UnitShare share) {
            this.body = body;
            this.chunks = chunks;
            this.caller = caller;
            this.segments = segments;
            this.share = share;
        }

        void runChunks(boolean[] inChunk) {
            inChunk[0] = true;
            try {
                if (segments == null) {
                    for (int c; (c = next.getAndIncrement()) < chunks; ) run(c);
                } else {
                    // the caller owns segment 0, workers the next ones as they join; a latecomer
                    // past the last segment only takes units from the backs of the others
                    int own = Thread.currentThread() == caller ? 0 : 1 + next.getAndIncrement();
                    if (own < segments.count()) {
                        for (int u; (u = segments.claimFront(own)) >= 0; ) run(u);
                    }
                    for (int u; (u = segments.claimBack()) >= 0; ) run(u);
                    if (share != null) share.help(done, chunks, SPIN_NANOS);
                }
            } finally {
                inChunk[0] = false;
            }
        }

        private void run(int c) {
            try {
                if (failure == null) body.run(c);
            } catch (Throwable t) {
                if (failure == null) failure = t;
            }
            if (done.incrementAndGet() == chunks) LockSupport.unpark(caller);
        }

        /** Waits (spinning briefly, then parked) for the chunks other threads still run; rethrows a failure. */
        void await() {
            long start = System.nanoTime();
            while (done.get() < chunks) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            rethrow(failure);
        }
    }

    /** Throws a chunk's failure (if any) on the thread that waited for it: unchecked as it is, checked wrapped. */
    static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    /**
     * The units of a {@link #forEachUnit} call cut into one segment per thread, each a front and a
     * back claimed by compare-and-set (front in the low 32 bits, back in the high), 128 bytes apart
     * so that an owner's claims stay in its own cache until somebody steals.
     */
    static final class Segments {
        private static final int STRIDE = 16; // longs: 128 bytes, two cache lines
        private final AtomicLongArray state;
        private final int count;

        Segments(int units, int threads) {
            count = Math.min(units, threads);
            state = new AtomicLongArray(count * STRIDE);
            for (int i = 0; i < count; i++) {
                long from = (long) units * i / count, to = (long) units * (i + 1) / count;
                state.set(i * STRIDE, to << 32 | from);
            }
        }

        int count() {
            return count;
        }

        /** The next unit at segment i's front, or -1 when the segment is done. */
        int claimFront(int i) {
            int at = i * STRIDE;
            for (long s = state.get(at); ; s = state.get(at)) {
                int front = (int) s, back = (int) (s >>> 32);
                if (front >= back) return -1;
                if (state.compareAndSet(at, s, (long) back << 32 | (front + 1))) return front;
            }
        }

        /** A unit from the back of the segment with the most left, or -1 when every segment is done. */
        int claimBack() {
            while (true) {
                int best = -1, most = 0;
                long seen = 0;
                for (int i = 0; i < count; i++) {
                    long s = state.get(i * STRIDE);
                    int left = (int) (s >>> 32) - (int) s;
                    if (left > most) {
                        most = left;
                        best = i;
                        seen = s;
                    }
                }
                if (best < 0) return -1;
                int back = (int) (seen >>> 32);
                if (state.compareAndSet(best * STRIDE, seen, (long) (back - 1) << 32 | (int) seen)) return back - 1;
            }
        }
    }
}
