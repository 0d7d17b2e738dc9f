package dev.vireo.engine.parallel;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputePoolTest {

    @Test
    void chunksCoverTheRangeOnceWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 3}) {
            try (ComputePool pool = new ComputePool(threads)) {
                int[] hits = new int[1001];
                var ranges = ConcurrentHashMap.<String>newKeySet();
                pool.parallelFor(1001, 64, (s, e) -> {
                    ranges.add(s + "-" + e);
                    for (int i = s; i < e; i++) hits[i]++;
                });
                assertThat(hits).containsOnly(1);
                assertThat(ranges).hasSize(16).contains("960-1001");
            }
        }
    }

    @Test
    void chunkSumsAreBitIdenticalAcrossThreadCounts() {
        double expected;
        try (ComputePool one = new ComputePool(1)) {
            expected = one.sumChunks(100, c -> Math.sin(c) * 1e-3 + 1.0 / (c + 1));
        }
        try (ComputePool two = new ComputePool(2)) {
            assertThat(two.sumChunks(100, c -> Math.sin(c) * 1e-3 + 1.0 / (c + 1))).isEqualTo(expected);
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (ComputePool pool = new ComputePool(2)) {
            int[] total = new int[1];
            pool.forEachChunk(4, c -> pool.forEachChunk(4, d -> {
                synchronized (total) {
                    total[0]++;
                }
            }));
            assertThat(total[0]).isEqualTo(16);
        }
    }

    @Test
    void aFailingChunkReachesTheCallerAndThePoolKeepsWorking() {
        try (ComputePool pool = new ComputePool(2)) {
            for (int failing : new int[] {0, 5, 63}) {
                assertThatThrownBy(() -> pool.forEachChunk(64, c -> {
                    if (c == failing) throw new IllegalArgumentException("chunk " + c);
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("chunk " + failing);
            }
            int[] hits = new int[200];
            pool.forEachChunk(200, c -> hits[c]++);
            assertThat(hits).containsOnly(1);
        }
    }

    @Test
    void severalThreadsCallOnePoolAtOnce() throws Exception {
        try (ComputePool pool = new ComputePool(3)) {
            int callers = 4, rounds = 200;
            Thread[] threads = new Thread[callers];
            long[][] sums = new long[callers][rounds];
            var failures = new ConcurrentLinkedQueue<Throwable>();
            for (int t = 0; t < callers; t++) {
                int id = t;
                threads[t] = Thread.ofPlatform().uncaughtExceptionHandler((th, e) -> failures.add(e)).unstarted(() -> {
                    for (int r = 0; r < rounds; r++) {
                        long[] parts = new long[37];
                        int round = r;
                        pool.forEachChunk(37, c -> parts[c] = (long) c * (id + 1) + round);
                        long sum = 0;
                        for (long p : parts) sum += p;
                        sums[id][r] = sum;
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(2));
                assertThat(t.isAlive()).as("caller finished").isFalse();
            }
            assertThat(failures).isEmpty();
            for (int t = 0; t < callers; t++) {
                for (int r = 0; r < rounds; r++) assertThat(sums[t][r]).isEqualTo(666L * (t + 1) + 37L * r);
            }
        }
    }

    /**
     * A worker that has parked takes part in the next call. The test waits until the worker is parked
     * (its thread state, not a fixed sleep), and each chunk waits until both threads have run one (or
     * 10 s have passed, which fails), so neither a slow wake-up nor a loaded machine can fail it.
     */
    @Test
    void workersThatParkedWakeForTheNextCall() throws InterruptedException {
        try (ComputePool pool = new ComputePool(2)) {
            Thread worker = null;
            for (int round = 0; round < 3; round++) {
                if (worker != null) awaitParked(worker);
                Set<Thread> threads = runUntilBothThreadsJoin(pool);
                assertThat(threads).hasSize(2).contains(Thread.currentThread());
                for (Thread t : threads) if (t != Thread.currentThread()) worker = t;
            }
        }
    }

    @Test
    void theCallerAndTheWorkersShareTheChunks() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThat(runUntilBothThreadsJoin(pool)).contains(Thread.currentThread()).hasSize(2);
        }
    }

    /**
     * During its solo start a pool runs every chunk on the caller, though each chunk gives a second
     * thread 100 ms to join; after it the worker joins as before, and the chunks are the same.
     */
    @Test
    void aSoloStartKeepsCallsOnTheCallerUntilItEnds() throws InterruptedException {
        for (long soloMillis : new long[] {TimeUnit.MINUTES.toMillis(10), Long.MAX_VALUE}) { // the longest: no overflow
            try (ComputePool solo = new ComputePool(2, soloMillis)) {
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                var ranges = ConcurrentHashMap.<String>newKeySet();
                solo.parallelFor(1001, 256, (s, e) -> {
                    ranges.add(s + "-" + e);
                    threads.add(Thread.currentThread());
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                    while (threads.size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
                });
                assertThat(threads).containsExactly(Thread.currentThread());
                assertThat(ranges).containsExactlyInAnyOrder("0-256", "256-512", "512-768", "768-1001");
            }
        }
        try (ComputePool brief = new ComputePool(2, 1)) {
            Thread.sleep(5);
            assertThat(runUntilBothThreadsJoin(brief)).contains(Thread.currentThread()).hasSize(2);
        }
        assertThatThrownBy(() -> new ComputePool(2, -1)).hasMessageContaining("soloMillis must be >= 0");
    }

    /**
     * Runs 50 chunks on a 2-thread pool, each recording its thread and then waiting until two threads
     * have been recorded or 10 s have passed; returns the threads that ran chunks.
     */
    private static Set<Thread> runUntilBothThreadsJoin(ComputePool pool) {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        pool.forEachChunk(50, c -> {
            threads.add(Thread.currentThread());
            while (threads.size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
        });
        return threads;
    }

    /** Waits until {@code worker} has parked (after its idle spin), failing after 10 s. */
    private static void awaitParked(Thread worker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (worker.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("worker parked within 10 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
