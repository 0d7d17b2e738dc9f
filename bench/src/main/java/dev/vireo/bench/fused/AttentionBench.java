package dev.vireo.bench.fused;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.attention.AttentionKernel;
import dev.vireo.engine.kernel.attention.ScalarAttentionKernel;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
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
 * Fused attention forward+backward at the CLIP shapes, 1 vs 2 threads, against the plain reference
 * kernel (the scores held whole). The output's gradient is checked finite so nothing is optimised away.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)      // C2 needs a few hundred calls of the tile kernels to settle
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g"}) // fixed heap: no first-touch cost while timing
public class AttentionBench {
    /** "BxHxTxDxcausal" (no commas: JMH splits -p values on them): ViT-B/32 image tokens; the causal CLIP text context. */
    @Param({"64x12x50x64x0", "64x8x77x64x1"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    @Param({"flash", "reference"})
    public String kernel;

    private Tensor q, k, v;
    private float[] seed;
    private boolean causal;
    private float scale;
    private AttentionKernel impl;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        int b = Integer.parseInt(p[0]), h = Integer.parseInt(p[1]), t = Integer.parseInt(p[2]), d = Integer.parseInt(p[3]);
        causal = p[4].equals("1");
        scale = (float) (1.0 / Math.sqrt(d));
        Rng rng = new Rng(1);
        q = Tensor.randn(rng, 0f, 1f, b, h, t, d).requiresGrad(true); // (B, H, T, D)
        k = Tensor.randn(rng, 0f, 1f, b, h, t, d).requiresGrad(true);
        v = Tensor.randn(rng, 0f, 1f, b, h, t, d).requiresGrad(true);
        seed = Tensor.randn(rng, 0f, 1f, b, h, t, d).toArray();
        impl = kernel.equals("flash") ? KernelProvider.get().attention() : new ScalarAttentionKernel();
        ComputePool.setGlobalThreads(threads);
    }

    @Benchmark
    public float forwardBackward() {
        q.zeroGrad();
        k.zeroGrad();
        v.zeroGrad();
        Attention.scaledDotProduct(q, k, v, causal, null, scale, impl).backward(seed);
        float g = q.gradBuffer()[0];
        if (!Float.isFinite(g)) throw new IllegalStateException("attention bench: non-finite gradient " + g);
        return g;
    }
}
