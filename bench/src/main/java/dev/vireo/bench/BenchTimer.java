package dev.vireo.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Median wall time of a task after warm-up, the way the peers are timed ({@code common.measure}
 * in {@code /work/shared/peers}): untimed runs for the JIT (at least {@code warmup} of them and at
 * least {@code warmupSeconds} of them), then at least {@code minReps} timed runs and more up to
 * {@code targetSeconds}, capped at {@code maxReps}. The mean process
 * CPU time per run comes along: on a machine shared with other tenants it shows the work done
 * when the wall time shows mostly the waiting.
 */
public record BenchTimer(int warmup, double warmupSeconds, int minReps, int maxReps, double targetSeconds) {

    /**
     * Enough reps for a stable median, after 2 s of warm-up: C2 compiles the code paths a GEMM form
     * meets first (the packing of a transposed operand, say) a second or two after they start, and
     * a 15 ms GEMM timed after three runs measured 170-190 GFLOP/s where it runs 265-280 from then on.
     */
    public static final BenchTimer FULL = new BenchTimer(3, 2.0, 5, 30, 1.5);
    /** A smoke run: checks that everything runs, numbers are rough. */
    public static final BenchTimer QUICK = new BenchTimer(1, 0, 2, 3, 0.2);

    /** Median wall seconds of one run, and the mean process-CPU seconds of one (0 when too short to read, -1 when unreadable). */
    public record Timing(double wallSeconds, double cpuSeconds) {}

    /**
     * Shortest timed sample: a task faster than this (a 64³ GEMM takes microseconds) runs several
     * times per sample, so neither clock's resolution nor its reading cost shows in the figure.
     */
    static final double MIN_SAMPLE_SECONDS = 1e-3;

    /** Times {@code task}. */
    public Timing time(Runnable task) {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        warmUp(warmup, warmupSeconds, i -> task.run());
        long t0 = System.nanoTime();
        task.run();
        double first = Math.max((System.nanoTime() - t0) / 1e9, 1e-9);
        int inner = (int) Math.min(1_000_000, Math.ceil(MIN_SAMPLE_SECONDS / first)); // runs per sample
        int reps = (int) Math.min(maxReps, Math.max(minReps, targetSeconds / (first * inner)));
        double[] times = new double[reps];
        long cpuStart = os.getProcessCpuTime();
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < inner; i++) task.run();
            times[r] = (System.nanoTime() - t) / 1e9 / inner;
        }
        // the process CPU clock ticks in jiffies (10 ms) on Linux: read once over all timed runs, not per sample
        double cpu = cpuStart < 0 ? -1 : (os.getProcessCpuTime() - cpuStart) / 1e9 / ((double) reps * inner);
        return new Timing(median(times), cpu);
    }

    /** Untimed runs for the JIT: at least {@code runs} of them, and more until {@code seconds} have passed; {@code task} gets each run's index. */
    public static void warmUp(int runs, double seconds, IntConsumer task) {
        long start = System.nanoTime();
        for (int i = 0; i < runs || System.nanoTime() - start < seconds * 1e9; i++) task.accept(i);
    }

    private static double median(double[] x) {
        Arrays.sort(x);
        int n = x.length;
        return n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
    }
}
