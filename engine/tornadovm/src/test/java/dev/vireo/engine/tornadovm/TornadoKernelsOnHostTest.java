package dev.vireo.engine.tornadovm;

import dev.vireo.engine.autograd.CpuProvider;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.SplittableRandom;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;

/**
 * The loop-parallel kernels run as the plain Java they are, on the host, against the CPU provider:
 * where a device test fails, this one says whether the kernel's arithmetic or TornadoVM's compilation
 * of it is at fault. Needs no TornadoVM runtime (the kernels' arrays are off-heap memory segments).
 */
class TornadoKernelsOnHostTest {
    private static final CpuProvider CPU = new CpuProvider(KernelProvider.get());

    @Test
    void linearWithEveryEpilogueOverAwkwardSizes() {
        for (int[] s : new int[][] {{1, 1, 1}, {3, 17, 5}, {7, 33, 129}}) {
            int rows = s[0], in = s[1], out = s[2];
            float[] x = random(rows * in, 1), w = random(out * in, 2), b = random(out, 3), r = random(rows * out, 4);
            for (UnaryOp act : UnaryOp.values()) {
                FloatArray y = new FloatArray(rows * out);
                TornadoKernels.linear(arr(x), arr(w), arr(b), arr(r), y, rows, in, out, 1, 1, TornadoKernels.code(act));
                Tensor expected = CPU.unary(act, CPU.linear(Tensor.of(x, rows, in), Tensor.of(w, out, in), Tensor.of(b, out), null, null))
                        .add(Tensor.of(r, rows, out)); // (rows, out)
                assertAllClose("linear " + act, expected.toArray(), y.toHeapArray(), 1e-5, 1e-4);
            }
        }
    }

    @Test
    void rowsPointwiseAndBroadcastsCarryNanAndInf() {
        int rows = 5, n = 77;
        float[] x = random(rows * n, 5);
        x[0] = Float.NaN;
        x[n + 3] = Float.POSITIVE_INFINITY;
        x[2 * n + 1] = Float.NEGATIVE_INFINITY;
        Tensor xt = Tensor.of(x, rows, n);
        FloatArray y = new FloatArray(rows * n);
        TornadoKernels.softmax(arr(x), y, rows, n, 0);
        assertAllClose("softmax", CPU.softmax(xt).toArray(), y.toHeapArray(), 1e-6, 1e-5);
        TornadoKernels.softmax(arr(x), y, rows, n, 1);
        assertAllClose("logSoftmax", CPU.logSoftmax(xt).toArray(), y.toHeapArray(), 1e-5, 1e-5);
        float[] g = random(n, 6), beta = random(n, 7);
        TornadoKernels.layerNorm(arr(x), arr(g), arr(beta), y, rows, n, 1e-5f);
        assertAllClose("layerNorm", CPU.layerNorm(xt, Tensor.of(g, n), Tensor.of(beta, n), 1e-5f).toArray(), y.toHeapArray(), 1e-5, 1e-4);
        for (UnaryOp op : UnaryOp.values()) {
            TornadoKernels.unary(arr(x), y, rows * n, TornadoKernels.code(op));
            assertAllClose("unary " + op, CPU.unary(op, xt).toArray(), y.toHeapArray(), 1e-6, 1e-5);
        }
        float[] row = random(n, 8);
        for (BinaryOp op : BinaryOp.values()) {
            TornadoKernels.binary(arr(x), arr(row), y, rows * n, n, op.ordinal());
            assertAllClose("binary " + op, CPU.binary(op, xt, Tensor.of(row, n)).toArray(), y.toHeapArray(), 0, 0);
        }
    }

    @Test
    void attentionWithCausalityAndPaddingAndMatmul() {
        int batch = 2, tq = 7, tk = 7, heads = 3, d = 5;
        float[] q = random(batch * tq * heads * d, 9), k = random(batch * tk * heads * d, 10), v = random(batch * tk * heads * d, 11);
        float[] keep = new float[batch * tk]; // (B, Tk): the last two keys of the second sequence padded
        for (int i = 0; i < keep.length; i++) keep[i] = i >= tk + tk - 2 ? 0f : 1f;
        for (int causal = 0; causal < 2; causal++) {
            FloatArray o = new FloatArray(batch * tq * heads * d);
            TornadoKernels.attention(arr(q), arr(k), arr(v), arr(keep), o, batch, tq, tk, heads, d, d, causal, 1, 0.4f);
            Tensor expected = CPU.attention(Tensor.of(q, batch, tq, heads * d), Tensor.of(k, batch, tk, heads * d), Tensor.of(v, batch, tk, heads * d),
                    heads, causal == 1, Tensor.of(keep, batch, tk), 0.4f); // (B, Tq, H·D)
            assertAllClose("attention causal " + causal, expected.toArray(), o.toHeapArray(), 1e-6, 1e-5);
        }
        float[] a = random(2 * 3 * 4, 12), b = random(2 * 4 * 5, 13);
        FloatArray c = new FloatArray(2 * 3 * 5);
        TornadoKernels.matmul(arr(a), arr(b), c, 2, 3, 5, 4);
        assertAllClose("matmul", CPU.matmul(Tensor.of(a, 2, 3, 4), Tensor.of(b, 2, 4, 5)).toArray(), c.toHeapArray(), 1e-6, 1e-5);
    }

    private static FloatArray arr(float[] v) {
        return FloatArray.fromArray(v);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }
}
