package dev.vireo.bench;

import java.util.Arrays;

/**
 * Median wall time of a task after warm-up, the way the peers are timed ({@code common.measure}
 * in {@code /work/shared/peers}): a few untimed runs for the JIT, then at least {@code minReps}
 * timed runs and more up to {@code targetSeconds}, capped at {@code maxReps}.
 */
public record BenchTimer(int warmup, int minReps, int maxReps, double targetSeconds) {

    /** Enough reps for a stable median. */
    public static final BenchTimer FULL = new BenchTimer(3, 5, 30, 1.5);
    /** A smoke run: checks that everything runs, numbers are rough. */
    public static final BenchTimer QUICK = new BenchTimer(1, 2, 3, 0.2);

    /** Median seconds per run of {@code task}. */
    public double medianSeconds(Runnable task) {
        for (int i = 0; i < warmup; i++) task.run();
        long t0 = System.nanoTime();
        task.run();
        double first = (System.nanoTime() - t0) / 1e9;
        int reps = (int) Math.min(maxReps, Math.max(minReps, targetSeconds / Math.max(first, 1e-9)));
        double[] times = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            task.run();
            times[r] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(times);
        return reps % 2 == 1 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
    }
}
