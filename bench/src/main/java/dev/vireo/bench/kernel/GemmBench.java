package dev.vireo.bench.kernel;

import dev.vireo.bench.GemmSection;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.gemm.Epilogue;
import dev.vireo.engine.kernel.gemm.GemmKernel;
import dev.vireo.engine.kernel.gemm.ScalarGemm;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * sgemm, scalar reference vs packed Vector API, 1 vs 2 threads, nn/nt/tn, on CLIP's shapes plus
 * an odd one. GFLOP/s = 2·m·k·n / (time per op). The scalar reference on the large shapes takes
 * seconds per op: select with {@code -p impl=vector} or {@code -p shape=257x129x383} for a short run.
 * Run: {@code java --add-modules jdk.incubator.vector -cp bench/target/vireo-bench.jar:bench/target/lib/*
 * org.openjdk.jmh.Main GemmBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)           // time per GEMM; GFLOP/s follows from the shape
@OutputTimeUnit(TimeUnit.MILLISECONDS)     // ops take 1 ms (odd size) to 100 ms (vector) or seconds (scalar)
@Warmup(iterations = 3, time = 2)          // C2 compiles the micro-kernel within the first few calls
@Measurement(iterations = 5, time = 2)     // 5 × 2 s: the shared 2-core machine is noisy, medians need several points
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"}) // fixed heap: no resizing mid-run
public class GemmBench {

    /** m x k x n: ViT-B MLP up (64 images), text MLP up (64 captions), ViT-B projection, square, odd. */
    @Param({"3200x768x3072", "4928x512x2048", "3200x768x768", "1024x1024x1024", "257x129x383"})
    public String shape;

    /** nn: C = A·B; nt: C = A·Bᵀ (Linear forward, weight (out, in)); tn: C = Aᵀ·B (weight gradient). */
    @Param({"nn", "nt", "tn"})
    public String form;

    /** scalar: the reference ({@link ScalarGemm}); vector: {@code PackedGemm} at the CPU's width. */
    @Param({"vector", "scalar"})
    public String impl;

    /** Threads of the compute pool: 1 vs 2 shows the parallel speed-up on the 2-core machine. */
    @Param({"1", "2"})
    public int threads;

    private GemmKernel kernel;
    private ComputePool pool;
    private float[] a, b, c;
    private int m, k, n, lda, ldb;
    private boolean ta, tb;

    @Setup(Level.Trial)
    public void setUp() {
        int[] dims = GemmSection.parseShape(shape);
        m = dims[0];
        k = dims[1];
        n = dims[2];
        ta = form.charAt(0) == 't';
        tb = form.charAt(1) == 't';
        lda = ta ? m : k;
        ldb = tb ? k : n;
        Rng rng = new Rng(1);
        a = GemmSection.random(rng, m * k);     // (m, k) or stored (k, m)
        b = GemmSection.random(rng, k * n);     // (k, n) or stored (n, k)
        c = new float[m * n];                   // (m, n)
        kernel = (impl.equals("scalar") ? KernelProvider.scalar() : KernelProvider.vector(KernelProvider.preferredBits())).gemm();
        pool = new ComputePool(threads);
        verifyAgainstReference();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] gemm() {
        kernel.gemm(pool, c, 0, n, a, 0, lda, ta, b, 0, ldb, tb, m, n, k, false, Epilogue.NONE);
        return c; // returned, so JMH consumes it
    }

    /** Checks the first rows of C against the scalar reference before timing anything. */
    private void verifyAgainstReference() {
        int rows = Math.min(m, 7);
        float[] got = new float[rows * n], want = new float[rows * n];
        kernel.gemm(pool, got, 0, n, a, 0, lda, ta, b, 0, ldb, tb, rows, n, k, false, Epilogue.NONE);
        new ScalarGemm().gemm(pool, want, 0, n, a, 0, lda, ta, b, 0, ldb, tb, rows, n, k, false, Epilogue.NONE);
        for (int i = 0; i < got.length; i++) {
            if (Math.abs(got[i] - want[i]) > 1e-5 * k + 1e-4 * Math.abs(want[i])) {
                throw new IllegalStateException("GemmBench " + shape + " " + form + " " + impl + ": C[" + i / n + ", "
                        + i % n + "] = " + got[i] + ", reference " + want[i]);
            }
        }
    }
}
