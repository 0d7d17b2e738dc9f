package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.VireoProperties;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.ScalarKernels;
import dev.vireo.engine.kernel.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.logging.Logger;

/**
 * The GEMM façade: validates arguments, then runs {@link ScalarGemm} when the scalar kernels are
 * chosen ({@code -Dvireo.kernels=scalar}, or no Vector API) and {@code PackedGemm} at the chosen
 * width otherwise. {@link #linear} is the fused {@code y = act(x·Wᵀ + b)} of a PyTorch-style
 * Linear layer (weight stored (out, in)): the nt form, read in place.
 */
public final class Gemm {
    private static final Logger LOG = Logger.getLogger(Gemm.class.getName());

    private Gemm() {}

    /** The implementation every call uses, chosen once to match {@link KernelProvider#kernels()}. */
    public static GemmKernel kernel() {
        return Holder.INSTANCE;
    }

    /** The vector implementation at a width of 128, 256 or 512 bits (tests and benchmarks). */
    public static GemmKernel packed(int bits) {
        if (!KernelProvider.vectorModulePresent()) {
            throw new IllegalStateException("Gemm.packed(" + bits + "): the Vector API is not available: run java with --add-modules jdk.incubator.vector");
        }
        try {
            Class<?> cls = Class.forName("dev.vireo.engine.kernel.gemm.PackedGemm");
            return (GemmKernel) cls.getConstructor(int.class).newInstance(bits);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Gemm.packed(" + bits + "): cannot create PackedGemm: " + e, e);
        }
    }

    /** C (m×n) = op(A)·op(B), or C += op(A)·op(B) with {@code accumulate}; see {@link GemmKernel#gemm}. */
    public static void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                                float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, boolean accumulate) {
        multiply(c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB, m, n, k, accumulate, Epilogue.NONE);
    }

    /** C = epilogue(op(A)·op(B)) on the global {@link ComputePool}, after checking every bound. */
    public static void multiply(float[] c, int cOff, int ldc, float[] a, int aOff, int lda, boolean transA,
                                float[] b, int bOff, int ldb, boolean transB, int m, int n, int k, boolean accumulate,
                                Epilogue epilogue) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("Gemm.multiply: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("C", c, cOff, m, n, ldc);
        checkMatrix(transA ? "A (transposed, stored k×m)" : "A", a, aOff, transA ? k : m, transA ? m : k, lda);
        checkMatrix(transB ? "B (transposed, stored n×k)" : "B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        if (epilogue.bias() != null) checkMatrix("bias", epilogue.bias(), epilogue.biasOff(), 1, n, n);
        if (epilogue.residual() != null) {
            checkMatrix("residual", epilogue.residual(), epilogue.residualOff(), m, n, epilogue.ldr());
        }
        kernel().gemm(ComputePool.global(), c, cOff, ldc, a, aOff, lda, transA, b, bOff, ldb, transB,
                m, n, k, accumulate, epilogue);
    }

    /**
     * {@code y = act(x·Wᵀ + b)}: x (..., in), weight (out, in), bias (out) or null, activation or
     * null; returns (..., out). Computes values only (no autograd node): a Linear layer records its
     * own backward around it.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation) {
        return linear(x, weight, bias, activation, null);
    }

    /**
     * {@code y = act(x·Wᵀ + b) + residual} with the residual (..., out) added in the epilogue, or
     * null for none. Values only, as {@link #linear(Tensor, Tensor, Tensor, UnaryOp)}.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation, Tensor residual) {
        int[] xs = x.shape(), ws = weight.shape();
        if (xs.length < 1 || ws.length != 2 || xs[xs.length - 1] != ws[1]) {
            throw new IllegalArgumentException("Gemm.linear: x " + Shapes.str(xs) + " and weight " + Shapes.str(ws)
                    + ": expected x (..., in) and weight (out, in)");
        }
        int in = ws[1], out = ws[0], rows = in == 0 ? Shapes.numel(Arrays.copyOf(xs, xs.length - 1)) : x.numel() / in;
        if (bias != null && (bias.rank() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("Gemm.linear: bias " + Shapes.str(bias.shape()) + " must be (" + out + ")");
        }
        int[] ys = Arrays.copyOf(xs, xs.length);
        ys[ys.length - 1] = out;
        if (residual != null && !Shapes.equal(residual.shape(), ys)) {
            throw new IllegalArgumentException("Gemm.linear: residual " + Shapes.str(residual.shape()) + " must be " + Shapes.str(ys));
        }
        Tensor xd = x.dense(), bd = bias == null ? null : bias.dense();
        WeightView w = WeightView.of(weight);
        float[] y = BufferPool.take(rows * out); // (..., out): every element is written below
        Epilogue e = Epilogue.NONE.withActivation(activation);
        if (bd != null) e = e.withBias(bd.array(), bd.offset());
        if (residual != null) {
            Tensor rd = residual.dense();
            e = e.withResidual(rd.array(), rd.offset(), Math.max(out, 1));
        }
        multiply(y, 0, Math.max(out, 1), xd.array(), xd.offset(), Math.max(in, 1), false,
                w.array(), w.offset(), w.ld(), !w.transposed(), rows, out, in, false, e);
        return Tensor.of(y, ys);
    }

    /**
     * A 2-D matrix as a GEMM operand without a copy where its strides allow: {@code transposed} false
     * when it is stored row-major (row stride {@code ld}), true when it is a transposed view of a
     * row-major array (stored column-major, column stride {@code ld}).
     */
    public record WeightView(float[] array, int offset, int ld, boolean transposed) {
        public static WeightView of(Tensor m) {
            int rows = m.size(0), cols = m.size(1);
            Tensor v = m.storage().isHeap() ? m : m.dense();
            int[] st = v.strides();
            if (st[1] == 1 || cols <= 1) return new WeightView(v.array(), v.offset(), Math.max(st[0], Math.max(cols, 1)), false);
            if (st[0] == 1 || rows <= 1) return new WeightView(v.array(), v.offset(), Math.max(st[1], Math.max(rows, 1)), true);
            Tensor d = v.dense();
            return new WeightView(d.array(), d.offset(), Math.max(cols, 1), false);
        }
    }

    /** Checks that a rows×cols matrix with row stride ld starting at off lies inside arr. */
    private static void checkMatrix(String name, float[] arr, int off, int rows, int cols, int ld) {
        if (arr == null) throw new IllegalArgumentException("Gemm.multiply: " + name + " is null");
        if (rows == 0 || cols == 0) return;
        if (off < 0 || (rows > 1 && ld < cols)) {
            throw new IllegalArgumentException("Gemm.multiply: " + name + " " + rows + "x" + cols
                    + " has offset " + off + " and row stride " + ld + " (need offset >= 0, stride >= " + cols + ")");
        }
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (last >= arr.length) {
            throw new IllegalArgumentException("Gemm.multiply: " + name + " " + rows + "x" + cols + " at offset " + off
                    + " with row stride " + ld + " ends at index " + last + " past its array of " + arr.length);
        }
    }

    private static final class Holder {
        static final GemmKernel INSTANCE = choose();

        private static GemmKernel choose() {
            GemmKernel chosen = KernelProvider.kernels() instanceof ScalarKernels
                    ? new ScalarGemm()
                    : packed(VireoProperties.getInt(VireoProperties.VECTOR_BITS, KernelProvider.preferredBits()));
            LOG.fine(() -> "Vireo GEMM: " + chosen.name());
            return chosen;
        }
    }
}
