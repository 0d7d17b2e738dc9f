package dev.vireo.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The ceilings the other sections are read against, measured on this machine at each thread count:
 * the FMA peak (independent fused multiply-adds in vector registers, touching no memory: no GEMM
 * can pass it) and the read bandwidth (a streaming vector sum over {@value #READ_BYTES} bytes, more
 * than any L3). Every thread also reports its own figure: on a shared VM one core can deliver less
 * than the other, which caps what any two-thread kernel reaches. {@link GemmSection} divides its
 * GFLOP/s by {@link #fmaPeak}.
 */
public final class MachineSection implements BenchSection {
    /** The CPU's widest vector: a constant, so that C2 turns the loops below into machine vectors. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulators: more than an FMA's latency times its issue rate on the CPUs we run on (4 × 2). */
    private static final int CHAINS = 12;
    /** Bytes read per pass of the bandwidth measurement (256 MiB). */
    static final int READ_BYTES = 1 << 28;
    /** Floats each thread sums in its untimed run (1 MiB): enough for the JIT, quick in the interpreter. */
    private static final int WARM_FLOATS = 1 << 18;
    /** Seconds of each thread's untimed run: long enough for C2 to compile the loop it times. */
    private static final double WARM_SECONDS = 0.5;
    /** Seconds each thread keeps measuring the peak that {@link GemmSection} divides by. */
    private static final double PEAK_SECONDS = 0.5;
    private static final Map<Integer, Double> PEAKS = new ConcurrentHashMap<>();
    /** Keeps the loops' results alive, so that no work is dropped as dead code. */
    private static volatile float sink;

    @Override
    public String name() {
        return "machine";
    }

    @Override
    public List<Map<String, Object>> run(BenchTimer timer, int[] threads) {
        double seconds = Math.max(0.05, Math.min(PEAK_SECONDS, timer.targetSeconds() / 3));
        List<Map<String, Object>> rows = new ArrayList<>();
        float[] data = new float[READ_BYTES / Float.BYTES];
        Arrays.fill(data, 1f); // every page written, so none is the kernel's shared page of zeros
        for (int t : threads) {
            double[] fma = perThread(t, (i, timed) -> fmaGflops(timed ? seconds : WARM_SECONDS));
            rows.add(row("fma", t, "gflops", fma));
            double[] read = perThread(t, (i, timed) -> {
                int from = (int) ((long) data.length * i / t), to = (int) ((long) data.length * (i + 1) / t);
                return timed ? readGbps(data, from, to, seconds) : readGbps(data, from, Math.min(to, from + WARM_FLOATS), WARM_SECONDS);
            });
            rows.add(row("read", t, "gbps", read));
            System.err.printf("  machine threads=%d: FMA peak %.1f GFLOP/s, read %.1f GB/s%n", t, sum(fma), sum(read));
        }
        return rows;
    }

    /** The FMA peak of {@code threads} threads together in GFLOP/s, measured once per thread count. */
    public static double fmaPeak(int threads) {
        return PEAKS.computeIfAbsent(threads, t -> sum(perThread(t, (i, timed) -> fmaGflops(timed ? PEAK_SECONDS : WARM_SECONDS))));
    }

    private static Map<String, Object> row(String what, int threads, String unit, double[] perThread) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("what", what);
        row.put("threads", threads);
        row.put("vector_bits", S.vectorBitSize());
        row.put(unit, round(sum(perThread)));
        List<Double> each = new ArrayList<>();
        for (double v : perThread) each.add(round(v));
        row.put("per_thread_" + unit, each);
        return row;
    }

    /**
     * Runs {@code work} (given the thread's index and whether the run is timed, returning its rate)
     * on {@code threads} threads started together after an untimed run each, so that every timed
     * window overlaps the others.
     */
    private static double[] perThread(int threads, Work work) {
        double[] rates = new double[threads];
        CountDownLatch warm = new CountDownLatch(threads), go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                work.rate(index, false); // untimed: the JIT compiles the loop
                warm.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                rates[index] = work.rate(index, true);
            }, "vireo-bench-machine-" + i);
            thread.start();
            started.add(thread);
        }
        try {
            warm.await();
            go.countDown();
            for (Thread thread : started) thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bench machine: interrupted", e);
        }
        return rates;
    }

    @FunctionalInterface
    private interface Work {
        double rate(int thread, boolean timed);
    }

    /**
     * GFLOP/s of this thread's FMA loop over about {@code seconds}, in calls that grow to a millisecond
     * or more: this loop stays cold enough that C2 never inlines {@link #fmaLoop} into it (inlined,
     * the chains ran at half the rate on JDK 25), and the loop is compiled on its own.
     */
    static double fmaGflops(double seconds) {
        int iterations = 1 << 8;
        long done = 0;
        long start = System.nanoTime(), end = start + (long) (seconds * 1e9);
        float keep = 0;
        do {
            long call = System.nanoTime();
            keep += fmaLoop(iterations);
            done += iterations;
            if (iterations < 1 << 20 && System.nanoTime() - call < 1_000_000) iterations <<= 1;
        } while (System.nanoTime() < end);
        sink = keep;
        return 2.0 * CHAINS * S.length() * done / ((System.nanoTime() - start) / 1e9) / 1e9;
    }

    /** {@link #CHAINS} independent chains of x = x·m + c in registers, {@code iterations} steps each. */
    private static float fmaLoop(int iterations) {
        FloatVector m = FloatVector.broadcast(S, 0.999f), c = FloatVector.broadcast(S, 1e-3f);
        FloatVector x0 = FloatVector.broadcast(S, 1f), x1 = x0.add(c), x2 = x1.add(c), x3 = x2.add(c);
        FloatVector x4 = x3.add(c), x5 = x4.add(c), x6 = x5.add(c), x7 = x6.add(c);
        FloatVector x8 = x7.add(c), x9 = x8.add(c), x10 = x9.add(c), x11 = x10.add(c);
        for (int i = 0; i < iterations; i++) {
            x0 = x0.fma(m, c);
            x1 = x1.fma(m, c);
            x2 = x2.fma(m, c);
            x3 = x3.fma(m, c);
            x4 = x4.fma(m, c);
            x5 = x5.fma(m, c);
            x6 = x6.fma(m, c);
            x7 = x7.fma(m, c);
            x8 = x8.fma(m, c);
            x9 = x9.fma(m, c);
            x10 = x10.fma(m, c);
            x11 = x11.fma(m, c);
        }
        FloatVector all = x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11);
        return all.reduceLanes(VectorOperators.ADD);
    }

    /** GB/s of this thread's vector sum over {@code data[from, to)}, pass after pass for about {@code seconds}. */
    static double readGbps(float[] data, int from, int to, double seconds) {
        int end = from + (to - from) / (4 * S.length()) * (4 * S.length());
        long passes = 0;
        long start = System.nanoTime(), stop = start + (long) (seconds * 1e9);
        float keep = 0;
        do {
            keep += readPass(data, from, end);
            passes++;
        } while (System.nanoTime() < stop);
        sink = keep;
        return (double) passes * (end - from) * Float.BYTES / ((System.nanoTime() - start) / 1e9) / 1e9;
    }

    /** The sum of {@code data[from, end)} ({@code end - from} a multiple of four vectors), in four vector accumulators. */
    private static float readPass(float[] data, int from, int end) {
        int lanes = S.length();
        FloatVector a = FloatVector.zero(S), b = a, c = a, d = a;
        for (int i = from; i < end; i += 4 * lanes) {
            a = a.add(FloatVector.fromArray(S, data, i));
            b = b.add(FloatVector.fromArray(S, data, i + lanes));
            c = c.add(FloatVector.fromArray(S, data, i + 2 * lanes));
            d = d.add(FloatVector.fromArray(S, data, i + 3 * lanes));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
