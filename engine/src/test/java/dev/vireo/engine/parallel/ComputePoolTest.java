package dev.vireo.engine.parallel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentHashMap;

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
            for (int t = 0; t < callers; t++) {
                int id = t;
                threads[t] = new Thread(() -> {
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
            for (Thread t : threads) t.join(60_000);
            for (int t = 0; t < callers; t++) {
                for (int r = 0; r < rounds; r++) assertThat(sums[t][r]).isEqualTo(666L * (t + 1) + 37L * r);
            }
        }
    }

    @Test
    void workersThatParkedWakeForTheNextCall() throws InterruptedException {
        try (ComputePool pool = new ComputePool(2)) {
            for (int round = 0; round < 3; round++) {
                Thread.sleep(2 * ComputePool.IDLE_SPIN_NANOS / 1_000_000 + 5); // long enough for the worker to park
                var threads = ConcurrentHashMap.<Thread>newKeySet();
                pool.forEachChunk(50, c -> {
                    threads.add(Thread.currentThread());
                    long end = System.nanoTime() + 2_000_000;
                    while (System.nanoTime() < end) Thread.onSpinWait();
                });
                assertThat(threads).hasSize(2);
            }
        }
    }

    @Test
    void theCallerAndTheWorkersShareTheChunks() {
        try (ComputePool pool = new ComputePool(2)) {
            var threads = ConcurrentHashMap.<Thread>newKeySet();
            // chunks long enough that the worker wakes up before the caller has run them all
            pool.forEachChunk(100, c -> {
                threads.add(Thread.currentThread());
                long end = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < end) Thread.onSpinWait();
            });
            assertThat(threads).contains(Thread.currentThread()).hasSize(2);
        }
    }
}
