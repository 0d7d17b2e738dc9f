package dev.vireo.bench.kernel;

import dev.vireo.bench.GemmSection;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.gemm.Epilogue;
import dev.vireo.engine.kernel.gemm.GemmKernel;
import dev.vireo.engine.kernel.gemm.PackedMatrix;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A request's products: the few rows of one sentence or one image against weights packed once, as a
 * loaded model runs them at batch 1 ({@link PackedMatrix#multiply}, the global pool). With
 * {@code weights=hot} every call reads one weight, in cache after the first; with {@code cold} each
 * call reads the next of a set of weights larger than any L3 (64 MiB), as a model's layers come from
 * memory one after the other. The gap between the two is what batch-1 latency loses to the memory
 * stream: GFLOP/s = 2·m·k·n / time, weight bandwidth = 4·k·n / time.
 * Run: {@code java --add-modules jdk.incubator.vector -cp bench/target/vireo-bench.jar:bench/target/lib/*
 * org.openjdk.jmh.Main RequestGemmBench -p shape=20x384x1536}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)     // 20-row products take 20-200 µs, 50-row ViT-B/32 ones up to 2 ms
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+UseTransparentHugePages"}) // as bin/vireo runs
public class RequestGemmBench {
    /** Weights of the cold set: at least this many bytes, more than the L3 of the CPUs we run on. */
    private static final long COLD_BYTES = 64L << 20;

    /**
     * m x k x n: all-MiniLM-L6-v2 on a 20-token sentence (query/key/value stacked, MLP up, MLP down)
     * and ViT-B/32 on one image (50 tokens: MLP up, MLP down).
     */
    @Param({"20x384x1152", "20x384x1536", "20x1536x384", "50x768x3072", "50x3072x768"})
    public String shape;

    /** hot: one weight, read from cache; cold: a different weight each call, read from memory. */
    @Param({"hot", "cold"})
    public String weights;

    /** Threads of the global pool. */
    @Param({"1", "2"})
    public int threads;

    private PackedMatrix[] packed;
    private float[] a, c;
    private int m, k, n, next;

    @Setup(Level.Trial)
    public void setUp() {
        int[] dims = GemmSection.parseShape(shape);
        m = dims[0];
        k = dims[1];
        n = dims[2];
        ComputePool.setGlobalThreads(threads);
        GemmKernel kernel = KernelProvider.vector(KernelProvider.preferredBits()).gemm();
        Rng rng = new Rng(1);
        a = GemmSection.random(rng, m * k);                      // (m, k)
        c = new float[m * n];                                    // (m, n)
        int count = weights.equals("hot") ? 1 : (int) Math.max(2, (COLD_BYTES + 4L * k * n - 1) / (4L * k * n));
        packed = new PackedMatrix[count];
        float[] first = null;
        for (int i = 0; i < count; i++) {
            float[] w = GemmSection.random(rng, n * k);          // (n, k): a Linear's weight, (out, in)
            if (i == 0) first = w;
            packed[i] = kernel.pack(w, 0, k, true, n, k);
        }
        verifyAgainstReference(first);
    }

    @Benchmark
    public float[] multiply() {
        PackedMatrix b = packed[next];
        next = next + 1 == packed.length ? 0 : next + 1;
        b.multiply(c, 0, n, a, 0, k, false, m, false, Epilogue.NONE);
        return c; // returned, so JMH consumes it
    }

    /** The first weight's product against the scalar reference before timing anything. */
    private void verifyAgainstReference(float[] w) {
        float[] got = new float[m * n], want = new float[m * n];
        packed[0].multiply(got, 0, n, a, 0, k, false, m, false, Epilogue.NONE);
        new ScalarGemm().gemm(ComputePool.global(), want, 0, n, a, 0, k, false, w, 0, k, true, m, n, k, false, Epilogue.NONE);
        for (int i = 0; i < got.length; i++) {
            if (Math.abs(got[i] - want[i]) > 1e-5 * k + 1e-4 * Math.abs(want[i])) {
                throw new IllegalStateException("RequestGemmBench " + shape + ": C[" + i / n + ", " + i % n + "] = " + got[i]
                        + ", reference " + want[i]);
            }
        }
    }
}
