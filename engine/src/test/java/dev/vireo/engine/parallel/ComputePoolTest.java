package dev.vireo.engine.parallel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

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
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> pool.forEachChunk(64, c -> {
                    if (c == failing) throw new IllegalArgumentException("chunk " + c);
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("chunk " + failing);
            }
            int[] hits = new int[200];
            pool.forEachChunk(200, c -> hits[c]++);
            assertThat(hits).containsOnly(1);
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
