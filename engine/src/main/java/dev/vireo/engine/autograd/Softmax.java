package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.function.UnaryOperator;

/**
 * Softmax and log-softmax along one axis, a row at a time with the row kernels. Rows of the last
 * axis are contiguous; another axis is first swapped to the end (a recorded transpose). Rows are
 * cut into fixed chunks, so results never depend on the thread count.
 */
public final class Softmax {
    private Softmax() {}

    /** exp(x - max) / Σ exp(x - max) along {@code axis}. */
    public static Tensor softmax(Tensor x, int axis) {
        return alongAxis("softmax", x, axis, Softmax::softmaxLast);
    }

    /** x - max - log Σ exp(x - max) along {@code axis}. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return alongAxis("logSoftmax", x, axis, Softmax::logSoftmaxLast);
    }

    /** Applies a last-axis op to {@code axis} by swapping it to the end and back (views, recorded). */
    static Tensor alongAxis(String op, Tensor x, int axis, UnaryOperator<Tensor> lastAxisOp) {
        int rank = x.rank();
        if (rank == 0) throw new IllegalArgumentException(op + ": needs a tensor of rank >= 1, got a scalar");
        int a = Shapes.axis(op, axis, rank);
        if (a == rank - 1) return lastAxisOp.apply(x);
        return lastAxisOp.apply(x.transpose(a, rank - 1)).transpose(a, rank - 1);
    }

    /** Rows per parallel chunk for rows of {@code n} elements. */
    static int rowsPerChunk(int n) {
        return Math.max(1, Elementwise.CHUNK_ELEMENTS / Math.max(n, 1));
    }

    private static Tensor softmaxLast(Tensor x) {
        Tensor values = ComputeProvider.get().softmax(x.detach()); // (x's shape)
        LastAxisRows y = LastAxisRows.of(values);               // read in place (a copy only if not dense)
        int n = y.n(), rows = y.rows();
        RowKernels k = ComputeProvider.get().kernels().rows();
        return Node.record(values, "softmax", (g, grads) -> {
            // dx = y ⊙ (g - Σ g·y)
            float[] gx = new float[y.size()];
            ComputePool.global().parallelFor(rows, rowsPerChunk(n), (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int o = r * n;
                    float dot = k.dot(g, o, y.array(), y.at(r), n);
                    k.affine(gx, o, g, o, 1f, -dot, n);
                    k.mul(gx, o, gx, o, y.array(), y.at(r), n);
                }
            });
            grads.accumulateOwned(x, gx);
        }, x);
    }

    private static Tensor logSoftmaxLast(Tensor x) {
        Tensor values = ComputeProvider.get().logSoftmax(x.detach()); // (x's shape)
        LastAxisRows y = LastAxisRows.of(values);                     // read in place (a copy only if not dense)
        int n = y.n(), rows = y.rows();
        RowKernels k = ComputeProvider.get().kernels().rows();
        return Node.record(values, "logSoftmax", (g, grads) -> {
            // dx = g - exp(y)·Σ g
            float[] gx = new float[y.size()];
            ComputePool.global().parallelFor(rows, rowsPerChunk(n), (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int o = r * n;
                    float total = k.sum(g, o, n);
                    k.unary(UnaryOp.EXP, gx, o, y.array(), y.at(r), n);
                    k.affine(gx, o, gx, o, -total, 0f, n);
                    k.add(gx, o, gx, o, g, o, n);
                }
            });
            grads.accumulateOwned(x, gx);
        }, x);
    }
}
