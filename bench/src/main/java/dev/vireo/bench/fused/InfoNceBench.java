package dev.vireo.bench.fused;

import dev.vireo.engine.autograd.ContrastiveLoss;
import dev.vireo.engine.kernel.KernelProvider;
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
 * The chunked CLIP InfoNCE loss, forward+backward (gradients of both embeddings and the logit scale),
 * vector vs scalar kernels, 1 vs 2 threads. The loss is checked against ln-scale sanity so the
 * result is consumed and verified.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)      // each call is long; two iterations are enough for C2
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g"}) // fixed heap: no first-touch cost while timing
public class InfoNceBench {
    @Param({"1024", "4096"})
    public int n;

    @Param({"512"})
    public int dim;

    @Param({"1", "2"})
    public int threads;

    @Param({"vector", "scalar"})
    public String kernels;

    private Tensor image, text, scale;
    private KernelProvider fk;

    @Setup(Level.Trial)
    public void setUp() {
        Rng rng = new Rng(2);
        image = FusedBenchSections.unitRows(rng, n, dim).requiresGrad(true); // (N, E)
        text = FusedBenchSections.unitRows(rng, n, dim).requiresGrad(true);
        scale = Tensor.scalar(2.6593f).requiresGrad(true);
        fk = kernels.equals("vector") ? KernelProvider.get() : KernelProvider.scalar();
        ComputePool.setGlobalThreads(threads);
    }

    @Benchmark
    public float forwardBackward() {
        image.zeroGrad();
        text.zeroGrad();
        scale.zeroGrad();
        Tensor loss = ContrastiveLoss.clip(image, text, scale, fk);
        loss.backward();
        float value = loss.item();
        // random unit embeddings at scale e^2.66 ≈ 14: the loss sits near ln N, certainly within (0, 2 ln N)
        if (!(value > 0 && value < 2 * Math.log(n))) throw new IllegalStateException("InfoNCE bench: loss " + value);
        return value;
    }
}
