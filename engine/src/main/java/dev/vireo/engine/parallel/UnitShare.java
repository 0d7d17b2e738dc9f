package dev.vireo.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a running unit of a {@link ComputePool#forEachUnit(int, ComputePool.SharedUnitBody)} call sees of
 * the threads that have run out of units: whether one is idle, and a way to hand it part of the unit.
 * A call's units end when the slower thread's last unit does, and a request's products have a dozen
 * units of 25-110 µs, so one thread waited half a unit at the end of almost every product (12-42 µs
 * per product, ~4% of one ViT-B/32 image). A unit that sees an idle thread between two of its
 * steps offers the rest of its work cut in two ({@link #offer}); the idle thread takes the offer, the
 * unit does its own half, then {@link Handoff#join joins} the other. Which thread computes a part
 * changes with timing, never what it computes: the body must keep each output's arithmetic the same
 * whoever runs it (a GEMM's rows, each summed in the same order).
 *
 * <p>At most one offer is open at a time (a second offer while one waits is run by its unit
 * itself), and an offer nobody has taken by the time its unit joins it runs there too, so nothing
 * waits on a thread that has gone back to sleep.
 */
public final class UnitShare {
    /** Threads of the call that have no unit left and look for offers. */
    private final AtomicInteger idle = new AtomicInteger();
    /** The open offer, or null. */
    private final AtomicReference<Handoff> open = new AtomicReference<>();

    UnitShare() {}

    /** Whether a thread of this call has run out of units and is waiting for an offer. */
    public boolean idle() {
        return idle.get() > 0;
    }

    /**
     * Offers {@code part} to an idle thread. The caller must {@link Handoff#join} the result before
     * its unit returns: join runs the part on the calling thread if nobody took it.
     */
    public Handoff offer(Runnable part) {
        Handoff h = new Handoff(part, this);
        open.compareAndSet(null, h); // an offer already open: this one stays with its unit
        return h;
    }

    /**
     * Takes and runs offers until {@code done} reaches {@code units} (the call's units have all
     * finished), or until no offer has come for {@code patienceNanos} (a long unit: the thread then
     * waits as it would have).
     */
    void help(AtomicInteger done, int units, long patienceNanos) {
        idle.incrementAndGet();
        try {
            long since = System.nanoTime();
            while (done.get() < units) {
                Handoff h = open.get();
                if (h != null && h.claim()) {
                    h.runHere();
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > patienceNanos) {
                    return;
                } else {
                    Thread.onSpinWait();
                }
            }
        } finally {
            idle.decrementAndGet();
        }
    }

    /** Part of a unit offered to an idle thread: taken by one, or run by its unit at {@link #join}. */
    public static final class Handoff {
        private static final int OFFERED = 0, RUNNING = 1, DONE = 2;
        private final Runnable part;
        private final UnitShare share;
        private final AtomicInteger state = new AtomicInteger(OFFERED);
        private volatile Throwable failure;

        private Handoff(Runnable part, UnitShare share) {
            this.part = part;
            this.share = share;
        }

        /** Claims the part for the calling thread (once only) and closes the offer. */
        private boolean claim() {
            if (!state.compareAndSet(OFFERED, RUNNING)) return false;
            share.open.compareAndSet(this, null);
            return true;
        }

        /** Runs a claimed part on a helping thread, keeping a failure for {@link #join}. */
        private void runHere() {
            try {
                part.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                state.set(DONE);
            }
        }

        /** Runs the part here if nobody took it, else waits until its taker is done; rethrows its failure. */
        public void join() {
            if (claim()) {
                try {
                    part.run();
                } finally {
                    state.set(DONE);
                }
                return;
            }
            while (state.get() != DONE) Thread.onSpinWait();
            ComputePool.rethrow(failure);
        }
    }
}
