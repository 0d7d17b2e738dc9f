package dev.vireo.bench.fused;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.optim.AdamWStep;
import dev.vireo.engine.kernel.optim.OptimizerKernels;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One fused AdamW step over a model's worth of parameters (the small CLIP's ~10 M in tensors of
 * uneven, mostly odd sizes, or one prime-sized tensor), vector vs scalar kernels, 1 vs 2 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AdamWBench {
    /** "model": tensors of the shapes a CLIP layer has, plus odd ones; "prime": one tensor of 999,983 values. */
    @Param({"model", "prime"})
    public String params;

    @Param({"1", "2"})
    public int threads;

    @Param({"vector", "scalar"})
    public String kernels;

    private List<AdamWStep.Slot> slots;
    private OptimizerKernels fk;
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        Rng rng = new Rng(4);
        int[] sizes = params.equals("prime") ? new int[] {999_983}
                : layerSizes(); // (out·in), (out), layer-norm (width) ... for 12 layers
        slots = new ArrayList<>();
        for (int size : sizes) {
            float[] p = random(rng, size), g = random(rng, size), m = new float[size], v = new float[size]; // (size) each
            slots.add(new AdamWStep.Slot(p, 0, g, m, v, 0, size, 5e-4, 0.2));
        }
        fk = (kernels.equals("vector") ? KernelProvider.get() : KernelProvider.scalar()).optimizer();
        ComputePool.setGlobalThreads(threads);
    }

    private static int[] layerSizes() {
        List<Integer> sizes = new ArrayList<>();
        int width = 256, mlp = 1024;
        for (int layer = 0; layer < 12; layer++) {
            for (int proj = 0; proj < 4; proj++) { sizes.add(width * width); sizes.add(width); } // q, k, v, out
            sizes.add(mlp * width); sizes.add(mlp); sizes.add(width * mlp); sizes.add(width);       // fc1, fc2
            for (int ln = 0; ln < 4; ln++) sizes.add(width);                                         // two layer norms
        }
        sizes.add(49_408 * 3 + 7); // an odd-sized embedding
        sizes.add(1);              // the logit scale
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] random(Rng rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (rng.nextFloat() - 0.5f) * 1e-2f;
        return a;
    }

    @Benchmark
    public float step() {
        AdamWStep.stepAll(fk, slots, 0.9, 0.98, 1e-6, ++step);
        return slots.get(0).param()[0];
    }
}
