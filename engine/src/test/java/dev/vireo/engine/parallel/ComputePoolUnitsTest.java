package dev.vireo.engine.parallel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ComputePool#forEachUnit}: one segment per thread, walked in order, the tail taken from the backs. */
class ComputePoolUnitsTest {

    @Test
    void unitsRunOnceWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 3, 4}) {
            try (ComputePool pool = new ComputePool(threads)) {
                for (int units : new int[] {0, 1, 2, 3, 5, 37, 1000}) {
                    int[] hits = new int[units];
                    pool.forEachUnit(units, u -> {
                        synchronized (hits) {
                            hits[u]++;
                        }
                    });
                    int[] once = new int[units];
                    Arrays.fill(once, 1);
                    assertThat(hits).as(threads + " threads, " + units + " units").isEqualTo(once);
                }
            }
        }
    }

    @Test
    void segmentsAreClaimedFromTheFrontByTheirOwnerAndFromTheBackByTheOthers() {
        ComputePool.Segments segments = new ComputePool.Segments(10, 3); // [0,3) [3,6) [6,10)
        assertThat(segments.count()).isEqualTo(3);
        assertThat(segments.claimFront(1)).isEqualTo(3);
        assertThat(segments.claimBack()).isEqualTo(9);   // the segment with the most left: 4 of [6,10)
        assertThat(segments.claimFront(2)).isEqualTo(6);
        assertThat(segments.claimBack()).isEqualTo(2);   // [0,3) has 3 left, [4,6) 2, [7,9) 2
        List<Integer> rest = new ArrayList<>();
        for (int u; (u = segments.claimFront(0)) >= 0; ) rest.add(u);
        for (int u; (u = segments.claimBack()) >= 0; ) rest.add(u); // ties go to the first segment
        assertThat(rest).containsExactly(0, 1, 5, 8, 4, 7);
        assertThat(segments.claimFront(1)).isEqualTo(-1);
        assertThat(new ComputePool.Segments(2, 4).count()).isEqualTo(2); // never an empty segment
    }

    @Test
    void eachThreadStartsAtItsOwnSegmentAndWalksItInOrder() {
        try (ComputePool pool = new ComputePool(2)) {
            Map<Thread, List<Integer>> byThread = runUnits(pool, 100, 0);
            List<Integer> caller = byThread.get(Thread.currentThread());
            assertThat(byThread).hasSize(2);
            assertThat(caller.get(0)).isZero();
            for (int i = 1; i < caller.size() && caller.get(i) < 50; i++) assertThat(caller.get(i)).isEqualTo(i);
            byThread.remove(Thread.currentThread());
            assertThat(byThread.values().iterator().next().get(0)).isEqualTo(50);
        }
    }

    @Test
    void aFreeThreadFinishesTheSegmentOfASlowOneFromItsBack() {
        try (ComputePool pool = new ComputePool(2)) {
            Map<Thread, List<Integer>> byThread = runUnits(pool, 100, TimeUnit.MILLISECONDS.toNanos(2));
            List<Integer> caller = byThread.remove(Thread.currentThread());
            List<Integer> worker = byThread.values().iterator().next();
            assertThat(worker).contains(49).hasSizeGreaterThan(50);
            assertThat(worker.subList(worker.indexOf(49), worker.size())).isSortedAccordingTo((x, y) -> y - x);
            List<Integer> all = new ArrayList<>(caller);
            all.addAll(worker);
            assertThat(all).hasSize(100).doesNotHaveDuplicates();
        }
    }

    @Test
    void aFailingUnitReachesTheCallerAndThePoolKeepsWorking() {
        try (ComputePool pool = new ComputePool(2)) {
            for (int failing : new int[] {0, 31, 63}) {
                assertThatThrownBy(() -> pool.forEachUnit(64, u -> {
                    if (u == failing) throw new IllegalArgumentException("unit " + u);
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("unit " + failing);
            }
            int[] hits = new int[64];
            pool.forEachUnit(64, u -> {
                synchronized (hits) {
                    hits[u]++;
                }
            });
            assertThat(hits).containsOnly(1);
        }
    }

    @Test
    void unitsInsideAChunkRunInline() {
        try (ComputePool pool = new ComputePool(2)) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            pool.forEachChunk(4, c -> {
                Thread t = Thread.currentThread();
                pool.forEachUnit(8, u -> {
                    assertThat(Thread.currentThread()).isSameAs(t);
                    seen.add(c + ":" + u);
                });
            });
            assertThat(seen).hasSize(32);
        }
    }

    /**
     * Runs units on a 2-thread pool, recording which thread ran which, in order; each thread's first
     * unit waits (up to 10 s) until both threads have one, and every unit the caller runs after that
     * takes {@code callerNanos}. → the units of each thread in the order it ran them.
     */
    private static Map<Thread, List<Integer>> runUnits(ComputePool pool, int units, long callerNanos) {
        Map<Thread, List<Integer>> byThread = new ConcurrentHashMap<>();
        Thread caller = Thread.currentThread();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        pool.forEachUnit(units, u -> {
            Thread t = Thread.currentThread();
            List<Integer> mine = byThread.computeIfAbsent(t, x -> new ArrayList<>());
            mine.add(u);
            if (mine.size() == 1) {
                while (byThread.size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
            } else if (t == caller) {
                long until = System.nanoTime() + callerNanos;
                while (System.nanoTime() < until) Thread.onSpinWait();
            }
        });
        return byThread;
    }
}
