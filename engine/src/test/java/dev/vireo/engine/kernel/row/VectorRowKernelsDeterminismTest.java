package dev.vireo.engine.kernel.row;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The vector kernels give the same bits interpreted and JIT-compiled: the Vector API's own EXP,
 * TANH and ADD reduction did not (they changed after a few hundred calls), which made results
 * depend on timing and so on the thread count. Each call repeats until well past compilation.
 */
class VectorRowKernelsDeterminismTest {
    private static final int CALLS = 3_000;

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void sameBitsBeforeAndAfterCompilation(int bits) {
        assumeTrue(KernelProvider.vectorModulePresent(), "needs --add-modules jdk.incubator.vector");
        RowKernels k = KernelProvider.vector(bits).rows();
        Rng rng = new Rng(3);
        int n = 67;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian() * 3;
            y[i] = (float) rng.nextGaussian();
        }
        int[] first = null;
        float[] out = new float[n], stats = new float[2];
        for (int call = 0; call < CALLS; call++) {
            int[] h = new int[8];
            h[0] = Float.floatToRawIntBits(k.sum(x, 0, n));
            h[1] = Float.floatToRawIntBits(k.dot(x, 0, y, 0, n));
            k.unary(UnaryOp.EXP, out, 0, x, 0, n);
            h[2] = Arrays.hashCode(out);
            k.unary(UnaryOp.GELU_TANH, out, 0, x, 0, n);
            h[3] = Arrays.hashCode(out);
            k.unaryBackward(UnaryOp.GELU, out, 0, x, 0, y, 0, n);
            h[4] = Arrays.hashCode(out);
            k.softmaxRow(out, 0, x, 0, n);
            h[5] = Arrays.hashCode(out);
            k.layerNormRow(out, 0, x, 0, null, null, n, 1e-5f, stats, 0);
            h[6] = Arrays.hashCode(out);
            k.layerNormBackwardRow(out, 0, y, 0, x, 0, null, null, null, n, stats, 0);
            h[7] = Arrays.hashCode(out);
            if (first == null) first = h;
            else if (!Arrays.equals(h, first)) assertThat(h).as("kernel results at call " + call).containsExactly(first);
        }
    }
}
