package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The fully connected layer as one autograd op, {@code y = x·Wᵀ + b (+ residual)}, with W stored
 * (out, in) as in PyTorch. The bias and residual ride in the GEMM's epilogue, so the forward pass
 * writes y once and keeps no intermediate; the backward pass adds {@code gᵀ·x} straight into W's
 * gradient (a GEMM accumulating into it, no transposed copy), sums g's columns into b's, computes
 * {@code g·W} for x, and hands g itself to the residual.
 */
public final class LinearOp {
    /** Output columns per parallel task of the bias gradient (each column sums its rows in order). */
    private static final int BIAS_COLUMNS_PER_TASK = 64;

    private LinearOp() {}

    /** x (..., in), weight (out, in), bias (out) or null, residual (..., out) or null → (..., out). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Tensor residual) {
        Tensor y = ComputeProvider.get().linear(x, weight, bias, null, residual); // (..., out)
        int out = weight.size(0), in = weight.size(1);
        int rows = Shapes.numel(Arrays.copyOf(x.shape(), x.rank() - 1));
        Tensor xd = x.detach().dense();      // (..., in): saved for W's gradient
        Tensor wd = weight.detach();         // (out, in)
        return Node.record(y, "linear", (g, grads) -> {
            addBiasGrad(grads.buffer(bias), g, rows, out);
            float[] dw = grads.buffer(weight);
            if (dw != null) addWeightGrad(dw, g, xd.array(), xd.offset(), rows, in, out);
            if (x.requiresGrad()) grads.accumulateOwned(x, inputGrad(g, wd, rows, in, out));
            if (residual != null) grads.accumulateOwned(residual, g); // the last use of g
        }, x, weight, bias, residual);
    }

    /**
     * {@code y = act(pre)·Wᵀ + b (+ residual)} without keeping act(pre): the second half of a
     * transformer MLP. The activation is computed into a temporary for the forward GEMM and again
     * in the backward pass, so only the pre-activation stays alive between the passes: the MLP's
     * saved activations shrink by half (a quarter of a transformer block's) for one more pointwise
     * pass, as activation recomputation trades memory for compute.
     *
     * @param pre (..., in), the first layer's output before its activation
     */
    public static Tensor linearOfActivation(Tensor pre, UnaryOp act, Tensor weight, Tensor bias, Tensor residual) {
        int out = weight.size(0), in = weight.size(1);
        if (pre.size(-1) != in) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(pre.shape()) + " does not fit weight " + Shapes.str(weight.shape()));
        }
        Tensor pd = pre.detach().dense();                        // (..., in)
        int rows = Shapes.numel(Arrays.copyOf(pre.shape(), pre.rank() - 1));
        Tensor h = Tensor.of(activate(act, pd, rows * in), pre.shape()); // (..., in): dropped after this call
        Tensor y = ComputeProvider.get().linear(h, weight, bias, null, residual); // (..., out)
        BufferPool.recycle(h.array());
        Tensor wd = weight.detach();                              // (out, in)
        return Node.record(y, "linear(" + act.name().toLowerCase() + ")", (g, grads) -> {
            addBiasGrad(grads.buffer(bias), g, rows, out);
            float[] dw = grads.buffer(weight);
            if (dw != null) { // with act(pre) recomputed
                float[] hx = activate(act, pd, rows * in);
                addWeightGrad(dw, g, hx, 0, rows, in, out);
                BufferPool.recycle(hx);
            }
            if (pre.requiresGrad()) { // dpre = (g · W) ∘ act'(pre)
                float[] dh = inputGrad(g, wd, rows, in, out);
                RowKernels k = ComputeProvider.get().kernels().rows();
                float[] pa = pd.array();
                int po = pd.offset();
                ComputePool.global().parallelFor(rows * in, Elementwise.CHUNK_ELEMENTS,
                        (s, e) -> k.unaryBackward(act, dh, s, pa, po + s, dh, s, e - s));
                grads.accumulateOwned(pre, dh);
            }
            if (residual != null) grads.accumulateOwned(residual, g); // the last use of g
        }, pre, weight, bias, residual);
    }

    /** act over n elements of a dense tensor, in fixed chunks. */
    private static float[] activate(UnaryOp act, Tensor dense, int n) {
        float[] out = BufferPool.take(n); // every element written below
        float[] xa = dense.array();
        int xo = dense.offset();
        RowKernels k = ComputeProvider.get().kernels().rows();
        ComputePool.global().parallelFor(n, Elementwise.CHUNK_ELEMENTS, (s, e) -> k.unary(act, out, s, xa, xo + s, e - s));
        return out;
    }

    /** dW (out, in) += gᵀ (out, rows) · x (rows, in), x dense from xOff. */
    private static void addWeightGrad(float[] dw, float[] g, float[] x, int xOff, int rows, int in, int out) {
        ComputeProvider.get().kernels().gemm().multiply(dw, 0, Math.max(in, 1), g, 0, Math.max(out, 1), true, x, xOff, Math.max(in, 1), false, out, in, rows, true);
    }

    /** g (rows, out) · W (out, in) into a pooled (rows, in) array (every element written by the GEMM). */
    private static float[] inputGrad(float[] g, Tensor weight, int rows, int in, int out) {
        float[] dx = BufferPool.take(rows * in);
        CpuProvider.WeightView w = CpuProvider.WeightView.of(weight);
        ComputeProvider.get().kernels().gemm().multiply(dx, 0, Math.max(in, 1), g, 0, Math.max(out, 1), false, w.array(), w.offset(), w.ld(), w.transposed(),
                rows, in, out, false);
        return dx;
    }

    /** sums[j] += Σ_r g[r·cols + j] when sums is not null, each column summed in row order whatever the thread count. */
    private static void addBiasGrad(float[] sums, float[] g, int rows, int cols) {
        if (sums == null) return;
        RowKernels k = ComputeProvider.get().kernels().rows();
        ComputePool.global().parallelFor(cols, BIAS_COLUMNS_PER_TASK,
                (c0, c1) -> k.addColumnSums(sums, c0, g, c0, cols, rows, c1 - c0));
    }
}
