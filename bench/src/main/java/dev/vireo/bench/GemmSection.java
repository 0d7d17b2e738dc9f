package dev.vireo.bench;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.gemm.Epilogue;
import dev.vireo.engine.kernel.gemm.GemmKernel;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sgemm GFLOP/s of {@link Gemm#kernel()} on CLIP's shapes in three forms: nn (C = A·B), nt
 * (C = A·Bᵀ, a Linear layer's forward with a PyTorch (out, in) weight) and tn (C = Aᵀ·B, a weight
 * gradient). FLOPs = 2·m·n·k; the output is preallocated, as in {@code peers/bench_gemm.py}. Each
 * row also gives its share of the machine's FMA peak at that thread count ({@link MachineSection#fmaPeak}).
 */
public final class GemmSection implements BenchSection {
    private final List<String> only;

    /** All shapes. */
    public GemmSection() {
        this(null);
    }

    /** The shapes named {@code MxKxN} in {@code only}, any sizes (the standard ones when null). */
    public GemmSection(List<String> only) {
        this.only = only;
    }

    /** (m, k, n): ViT-B MLP up for 64 images, text MLP up for 64 captions, ViT-B projection, square. */
    static final int[][] SHAPES = {{3200, 768, 3072}, {4928, 512, 2048}, {3200, 768, 768}, {1024, 1024, 1024}};
    static final String[] FORMS = {"nn", "nt", "tn"};

    /** "MxKxN" → {m, k, n} (also the JMH GEMM benchmarks' shape parameter). */
    public static int[] parseShape(String shape) {
        String[] p = shape.split("x");
        try {
            if (p.length == 3) {
                int[] s = {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
                if (s[0] > 0 && s[1] > 0 && s[2] > 0) return s;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("gemm shape '" + shape + "' is not MxKxN with positive sizes, e.g. 1024x1024x1024");
    }

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public List<Map<String, Object>> run(BenchTimer timer, int[] threads) {
        GemmKernel kernel = KernelProvider.get().gemm();
        List<Map<String, Object>> rows = new ArrayList<>();
        Rng rng = new Rng(0);
        compileKernels(kernel, rng);
        for (int t : threads) MachineSection.fmaPeak(t); // measured before any product, on an idle machine
        for (int[] s : only == null ? List.of(SHAPES) : only.stream().map(GemmSection::parseShape).toList()) {
            int m = s[0], k = s[1], n = s[2];
            float[] a = random(rng, m * k), b = random(rng, k * n), c = new float[m * n]; // (m,k) or (k,m); (k,n) or (n,k); (m,n)
            for (String form : FORMS) {
                boolean ta = form.charAt(0) == 't', tb = form.charAt(1) == 't';
                int lda = ta ? m : k, ldb = tb ? k : n;
                for (int t : threads) {
                    try (ComputePool pool = new ComputePool(t)) {
                        BenchTimer.Timing time = timer.time(() -> kernel.gemm(pool, c, 0, n, a, 0, lda, ta, b, 0, ldb, tb,
                                m, n, k, false, Epilogue.NONE));
                        double flops = 2.0 * m * n * k;
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("m", m);
                        row.put("k", k);
                        row.put("n", n);
                        row.put("form", form);
                        row.put("threads", t);
                        row.put("impl", kernel.name());
                        double rate = flops / time.wallSeconds(), gflops = Math.round(rate / 1e8) / 10.0;
                        double ofPeak = Math.round(rate / 1e9 / MachineSection.fmaPeak(t) * 1000) / 1000.0;
                        row.put("gflops", gflops);
                        row.put("of_fma_peak", ofPeak);
                        if (time.cpuSeconds() > 0) { // the JVM reports -1 where it cannot read the process's CPU time
                            row.put("gflops_per_cpu", Math.round(flops / time.cpuSeconds() / 1e8) / 10.0); // per CPU-second of the process
                        }
                        rows.add(row);
                        System.err.printf("  gemm %dx%dx%d %s threads=%d: %.1f GFLOP/s (%.0f%% of the FMA peak)%n", m, k, n, form, t,
                                gflops, 100 * ofPeak);
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Runs every form for {@value #COMPILE_SECONDS} s before anything is timed: the Vector API runs
     * about a thousand times slower until C2 has compiled the micro-kernels, which takes seconds, so a
     * quick run's first shapes would otherwise time the interpreter (0.0 GFLOP/s for 64³).
     */
    private static void compileKernels(GemmKernel kernel, Rng rng) {
        int s = 192;
        float[] a = random(rng, s * s), b = random(rng, s * s), c = new float[s * s]; // (s, s) each
        long start = System.nanoTime();
        try (ComputePool pool = new ComputePool(1)) {
            while (System.nanoTime() - start < COMPILE_SECONDS * 1e9) {
                for (String form : FORMS) {
                    kernel.gemm(pool, c, 0, s, a, 0, s, form.charAt(0) == 't', b, 0, s, form.charAt(1) == 't', s, s, s, false, Epilogue.NONE);
                }
            }
        }
    }

    private static final double COMPILE_SECONDS = 2.0;

    /** {@code size} values uniform in [-1, 1): the operands of every GEMM benchmark. */
    public static float[] random(Rng rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = rng.nextFloat() * 2f - 1f;
        return x;
    }
}
