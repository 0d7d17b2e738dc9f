package dev.vireo.engine.parallel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link UnitShare}: parts of a running unit handed to the threads of its call that have run out of units. */
class UnitShareTest {

    @Test
    void anOfferNobodyTakesRunsOnItsUnitAtJoin() {
        try (ComputePool pool = new ComputePool(1)) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicInteger runs = new AtomicInteger();
            pool.forEachUnit(1, (unit, share) -> {
                assertThat(share.idle()).isFalse(); // one thread: nobody waits
                UnitShare.Handoff h = share.offer(() -> {
                    runs.incrementAndGet();
                    ranOn.set(Thread.currentThread());
                });
                h.join();
                assertThat(runs).hasValue(1);
            });
            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        }
    }

    @Test
    void aThreadWithNoUnitLeftTakesTheOfferAndJoinWaitsForIt() {
        try (ComputePool pool = new ComputePool(2)) {
            boolean handedOver = false;
            for (int attempt = 0; attempt < 20 && !handedOver; attempt++) { // a descheduled helper may give up waiting
                AtomicReference<Thread> unitOn = new AtomicReference<>(), partOn = new AtomicReference<>();
                AtomicInteger runs = new AtomicInteger();
                pool.forEachUnit(2, (unit, share) -> { // unit 0 ends at once: its thread waits for offers
                    if (unit == 0) return;
                    unitOn.set(Thread.currentThread());
                    long deadline = System.nanoTime() + 1_000_000_000L;
                    while (!share.idle() && System.nanoTime() < deadline) Thread.onSpinWait();
                    UnitShare.Handoff h = share.offer(() -> {
                        partOn.set(Thread.currentThread());
                        sleepMillis(20);
                        runs.incrementAndGet();
                    });
                    sleepMillis(5); // the unit's own half: the helper takes the part meanwhile
                    h.join();
                    assertThat(runs).as("join returns after the part").hasValue(1);
                });
                assertThat(runs).hasValue(1);
                handedOver = partOn.get() != unitOn.get();
            }
            assertThat(handedOver).as("a part ran on the idle thread").isTrue();
        }
    }

    @Test
    void aFailedPartIsRethrownByTheCall() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThatThrownBy(() -> pool.forEachUnit(2, (unit, share) -> {
                if (unit == 0) return;
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (!share.idle() && System.nanoTime() < deadline) Thread.onSpinWait();
                share.offer(() -> {
                    throw new IllegalStateException("part failed");
                }).join();
            })).isInstanceOf(IllegalStateException.class).hasMessage("part failed");
            AtomicInteger after = new AtomicInteger();
            pool.forEachUnit(4, (unit, share) -> after.incrementAndGet()); // the pool still works
            assertThat(after).hasValue(4);
        }
    }

    @Test
    void aSecondOfferWhileOneIsOpenStaysWithItsUnit() {
        try (ComputePool pool = new ComputePool(1)) {
            pool.forEachUnit(1, (unit, share) -> {
                AtomicInteger order = new AtomicInteger();
                UnitShare.Handoff first = share.offer(() -> assertThat(order.incrementAndGet()).isEqualTo(2));
                UnitShare.Handoff second = share.offer(() -> assertThat(order.incrementAndGet()).isEqualTo(1));
                second.join();
                first.join();
                assertThat(order).hasValue(2);
            });
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
