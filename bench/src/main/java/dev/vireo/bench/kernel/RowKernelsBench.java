package dev.vireo.bench.kernel;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.UnaryOp;
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
 * The fused row kernels over a block of rows (softmax, log-softmax, layer norm forward and backward,
 * GELU and QuickGELU): the vector kernels at a forced width against the scalar reference, on row
 * lengths that are CLIP's (50 and 77 tokens, widths 512 and 768) and awkward ones (1, 17, 1000).
 * Each call covers {@code rows} rows, so the figure is comparable across lengths as ns per value.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RowKernelsBench {
    @Param({"1", "17", "50", "77", "512", "768", "1000"})
    public int n;

    @Param({"vector-512", "vector-256", "scalar"})
    public String kernels;

    /** Rows per call: about 64 K values whatever the row length. */
    private int rows;
    private RowKernels k;
    private float[] x, dy, out, dx, gamma, beta, dGamma, dBeta, stats;

    @Setup(Level.Trial)
    public void setUp() {
        rows = Math.max(1, 65_536 / n);
        k = (kernels.equals("scalar") ? KernelProvider.scalar() : KernelProvider.vector(Integer.parseInt(kernels.substring(7)))).rows();
        Rng rng = new Rng(3);
        x = random(rng, rows * n);       // (rows, n)
        dy = random(rng, rows * n);      // (rows, n)
        out = new float[rows * n];       // (rows, n)
        dx = new float[rows * n];        // (rows, n)
        gamma = random(rng, n);          // (n)
        beta = random(rng, n);           // (n)
        dGamma = new float[n];           // (n)
        dBeta = new float[n];            // (n)
        stats = new float[2 * rows];     // (rows, 2): μ and 1/σ
    }

    private static float[] random(Rng rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = rng.nextFloat() * 4f - 2f;
        return a;
    }

    @Benchmark
    public float softmax() {
        for (int r = 0; r < rows; r++) k.softmaxRow(out, r * n, x, r * n, n);
        return out[rows * n - 1];
    }

    @Benchmark
    public float logSoftmax() {
        for (int r = 0; r < rows; r++) k.logSoftmaxRow(out, r * n, x, r * n, n);
        return out[rows * n - 1];
    }

    @Benchmark
    public float layerNorm() {
        for (int r = 0; r < rows; r++) k.layerNormRow(out, r * n, x, r * n, gamma, beta, n, 1e-5f, stats, 2 * r);
        return out[rows * n - 1];
    }

    @Benchmark
    public float layerNormBackward() {
        for (int r = 0; r < rows; r++) k.layerNormRow(out, r * n, x, r * n, gamma, beta, n, 1e-5f, stats, 2 * r);
        for (int r = 0; r < rows; r++) k.layerNormBackwardRow(dx, r * n, dy, r * n, x, r * n, gamma, dGamma, dBeta, n, stats, 2 * r);
        return dx[rows * n - 1];
    }

    @Benchmark
    public float gelu() {
        k.unary(UnaryOp.GELU, out, 0, x, 0, rows * n);
        return out[rows * n - 1];
    }

    @Benchmark
    public float quickGelu() {
        k.unary(UnaryOp.QUICK_GELU, out, 0, x, 0, rows * n);
        return out[rows * n - 1];
    }
}
