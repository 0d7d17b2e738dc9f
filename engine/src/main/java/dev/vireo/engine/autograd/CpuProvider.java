package dev.vireo.engine.autograd;

import dev.vireo.engine.VireoProperties;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.gemm.Epilogue;
import dev.vireo.engine.kernel.gemm.PackedMatrix;
import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.RowKernels;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Storage;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The host as a {@link ComputeProvider}: every op on the {@link KernelProvider}'s kernels, run on the
 * global {@link ComputePool} in chunks fixed by the sizes (so the bits never depend on the thread
 * count). The first provider and the reference every device provider is tested against; a device
 * provider hands it the ops it does not implement. Registered under {@code cpu} with
 * {@link java.util.ServiceLoader}.
 */
public final class CpuProvider implements ComputeProvider {
    private final KernelProvider kernels;
    /** Weights handed to {@link #register}, by identity. */
    private final Set<Tensor> registered = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
    private final Map<Tensor, PackedMatrix> packedWeights = Collections.synchronizedMap(new IdentityHashMap<>());
    /**
     * Registered weights of more than two axes (a patch embedding's (C, 3, p, p)), by storage: the 2-D
     * view of the whole of one that a layer multiplies by counts as registered.
     */
    private final Map<Storage, Tensor> registeredByStorage = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Registered weights used once so far: packed on their second use. */
    private final Set<Tensor> usedOnce = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
    /** Whether registered weights are packed on their second use ({@code -Dvireo.packWeights}). */
    private final boolean packWeights;
    private final Map<WeightList, Stacked> stackedWeights = Collections.synchronizedMap(new HashMap<>());

    /** On the kernels chosen at start-up ({@link KernelProvider#get()}); what the service loader calls. */
    public CpuProvider() {
        this(KernelProvider.get());
    }

    /** On given kernels (tests run the seam at every width this way), packing as {@code -Dvireo.packWeights} says. */
    public CpuProvider(KernelProvider kernels) {
        this(kernels, VireoProperties.getBoolean(VireoProperties.PACK_WEIGHTS, true));
    }

    /** On given kernels; {@code packWeights} false: registered weights are never packed, every product packs as it goes. */
    public CpuProvider(KernelProvider kernels, boolean packWeights) {
        this.kernels = kernels;
        this.packWeights = packWeights;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public KernelProvider kernels() {
        return kernels;
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation, Tensor residual) {
        int[] xs = x.shape(), ws = weight.shape();
        if (xs.length < 1 || ws.length != 2 || xs[xs.length - 1] != ws[1]) {
            throw new IllegalArgumentException("linear: x " + Shapes.str(xs) + " and weight " + Shapes.str(ws)
                    + ": expected x (..., in) and weight (out, in)");
        }
        int in = ws[1], out = ws[0], rows = in == 0 ? Shapes.numel(Arrays.copyOf(xs, xs.length - 1)) : x.numel() / in;
        if (bias != null && (bias.rank() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("linear: bias " + Shapes.str(bias.shape()) + " must be (" + out + ")");
        }
        int[] ys = Arrays.copyOf(xs, xs.length);
        ys[ys.length - 1] = out;
        if (residual != null && !Shapes.equal(residual.shape(), ys)) {
            throw new IllegalArgumentException("linear: residual " + Shapes.str(residual.shape()) + " must be " + Shapes.str(ys));
        }
        Tensor xd = x.dense(), bd = bias == null ? null : bias.dense();
        float[] y = BufferPool.take(rows * out); // (..., out): every element is written below
        Epilogue e = Epilogue.NONE.withActivation(activation);
        if (bd != null) e = e.withBias(bd.array(), bd.offset());
        if (residual != null) {
            Tensor rd = residual.dense();
            e = e.withResidual(rd.array(), rd.offset(), Math.max(out, 1));
        }
        PackedMatrix packed = registered.isEmpty() && registeredByStorage.isEmpty() ? null : packedWeight(weight);
        if (packed != null) {
            packed.multiply(y, 0, Math.max(out, 1), xd.array(), xd.offset(), Math.max(in, 1), false, rows, false, e);
        } else {
            WeightView w = WeightView.of(weight);
            kernels.gemm().multiply(y, 0, Math.max(out, 1), xd.array(), xd.offset(), Math.max(in, 1), false,
                    w.array(), w.offset(), w.ld(), !w.transposed(), rows, out, in, false, e);
        }
        return Tensor.of(y, ys);
    }

    /**
     * Registered weights sharing their input run as one product against their rows stacked (packed
     * once, kept like the single ones): a request's attention projections are one GEMM instead of
     * three, large enough to share out over the threads. Each output column is summed in the same
     * order as alone, so the values are {@link #linear}'s bit for bit; the outputs are views of one array.
     */
    @Override
    public Tensor[] linears(Tensor x, Tensor[] weights, Tensor[] biases) {
        // without packed weights (a one-shot command) the stacked copy would be made for a product or two
        boolean fusable = weights.length > 1 && !registered.isEmpty() && packWeights;
        for (int i = 0; fusable && i < weights.length; i++) {
            fusable = registered.contains(weights[i]) && weights[i].rank() == 2 && weights[i].size(1) == weights[0].size(1)
                    && (biases[i] == null) == (biases[0] == null);
        }
        if (!fusable) return ComputeProvider.super.linears(x, weights, biases);
        Stacked stacked = stackedWeights.computeIfAbsent(new WeightList(weights), key -> stack(weights, biases));
        Tensor all = linear(x, stacked.weight(), stacked.bias(), null, null); // (..., Σ out)
        Tensor[] out = new Tensor[weights.length];
        for (int i = 0, from = 0; i < weights.length; from += weights[i].size(0), i++) {
            out[i] = all.narrow(-1, from, weights[i].size(0)); // (..., out_i): a view with the stacked row stride
        }
        return out;
    }

    /** Weights (and biases) stacked by rows, registered so that they are packed on first use. */
    private record Stacked(Tensor weight, Tensor bias) {}

    /** A list of weights compared by identity, the key of their stacked form. */
    private record WeightList(Tensor[] weights) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof WeightList other) || other.weights.length != weights.length) return false;
            for (int i = 0; i < weights.length; i++) if (weights[i] != other.weights[i]) return false;
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (Tensor w : weights) h = 31 * h + System.identityHashCode(w);
            return h;
        }

        boolean contains(Tensor w) {
            for (Tensor t : weights) if (t == w) return true;
            return false;
        }
    }

    private Stacked stack(Tensor[] weights, Tensor[] biases) {
        Tensor weight = ShapeOps.concat(0, Arrays.stream(weights).map(Tensor::detach).toArray(Tensor[]::new)); // (Σ out, in)
        Tensor bias = biases[0] == null ? null : ShapeOps.concat(0, Arrays.stream(biases).map(Tensor::detach).toArray(Tensor[]::new)); // (Σ out)
        registered.add(weight);
        return new Stacked(weight, bias);
    }

    /**
     * Keeps the weights for {@link #linear}'s products packed as the GEMM reads them, each packed on
     * its second use (a model's embedding tables never are): at inference a request's few rows no
     * longer pay for packing every weight on every call. The first use multiplies the weight as it
     * is, which costs the same (the GEMM packs it block by block into buffers it keeps), so a
     * process that encodes one image, as a cold {@code vireo embed} does, neither waits for nor holds
     * a packed copy of the tower (350 MB of fresh memory for ViT-B/32, about half a second of first
     * touches here). Costs a packed copy of each weight used twice; the weights must not change until
     * released (the contract of a device's resident copy). A weight of more axes (a patch embedding's
     * conv weight) is multiplied through a 2-D view of it: that view, kept by its module, is packed.
     */
    @Override
    public void register(Iterable<Tensor> weights) {
        for (Tensor w : weights) {
            if (w.rank() == 2) registered.add(w);
            else if (w.rank() > 2 && w.isContiguous()) registeredByStorage.put(w.storage(), w);
        }
    }

    @Override
    public void release(Iterable<Tensor> weights) {
        for (Tensor w : weights) {
            registered.remove(w);
            packedWeights.remove(w);
            usedOnce.remove(w);
            if (w.rank() > 2 && registeredByStorage.remove(w.storage(), w)) {
                synchronized (packedWeights) {
                    packedWeights.keySet().removeIf(v -> v.storage() == w.storage());
                }
                synchronized (usedOnce) {
                    usedOnce.removeIf(v -> v.storage() == w.storage());
                }
            }
            synchronized (stackedWeights) {
                stackedWeights.entrySet().removeIf(e -> {
                    if (!e.getKey().contains(w)) return false;
                    registered.remove(e.getValue().weight());
                    packedWeights.remove(e.getValue().weight());
                    usedOnce.remove(e.getValue().weight());
                    return true;
                });
            }
        }
    }

    /** Whether {@code weight} is a 2-D view of the whole of a registered weight of more axes, from its first element. */
    private boolean viewOfRegistered(Tensor weight) {
        Tensor owner = registeredByStorage.get(weight.storage());
        return owner != null && weight.rank() == 2 && weight.isContiguous() && weight.offset() == owner.offset()
                && weight.numel() == owner.numel() && weight.size(0) == owner.size(0);
    }

    /** Floats held in packed copies of registered weights (memory accounting; 0 before any weight's second use). */
    public long packedFloats() {
        synchronized (packedWeights) {
            return packedWeights.values().stream().mapToLong(PackedMatrix::floats).sum();
        }
    }

    /** The packed form of a registered weight (out, in), made on its second use; null before, if not registered, or if the kernel reads B as it is. */
    private PackedMatrix packedWeight(Tensor weight) {
        if (!packWeights || !registered.contains(weight) && !viewOfRegistered(weight)) return null;
        PackedMatrix packed = packedWeights.get(weight);
        if (packed != null) return packed;
        if (usedOnce.add(weight)) return null;
        return packedWeights.computeIfAbsent(weight, t -> {
            WeightView w = WeightView.of(t);
            PackedMatrix p = kernels.gemm().pack(w.array(), w.offset(), w.ld(), !w.transposed(), t.size(0), t.size(1));
            // a memory-mapped weight is read again only if released: its pages leave the process's
            // resident set (the file stays in the page cache), so a served model is held once, packed
            if (p != null && t.storage().segment() != null) t.storage().segment().unload();
            return p;
        });
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        Tensor xd = x.dense();
        int n = xd.numel();
        float[] out = new float[n]; // (x's shape)
        float[] xa = xd.array();
        int xo = xd.offset();
        RowKernels k = kernels.rows();
        ComputePool.global().parallelFor(n, Elementwise.CHUNK_ELEMENTS, (s, e) -> k.unary(op, out, s, xa, xo + s, e - s));
        return Tensor.of(out, x.shape());
    }

    @Override
    public Tensor softmax(Tensor x) {
        RowKernels k = kernels.rows();
        return rowByRow("softmax", x, (y, yOff, xa, xOff, n) -> k.softmaxRow(y, yOff, xa, xOff, n));
    }

    @Override
    public Tensor logSoftmax(Tensor x) {
        RowKernels k = kernels.rows();
        return rowByRow("logSoftmax", x, (y, yOff, xa, xOff, n) -> k.logSoftmaxRow(y, yOff, xa, xOff, n));
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return Elementwise.binaryValues(kernels.rows(), op, a, b);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return Matmul.values(kernels.gemm(), a, b);
    }

    /** One row kernel over every row of x's last axis, in fixed chunks of rows. */
    private static Tensor rowByRow(String op, Tensor x, RowOp row) {
        if (x.rank() == 0) throw new IllegalArgumentException(op + ": needs a tensor of rank >= 1, got a scalar");
        LastAxisRows xr = LastAxisRows.of(x);
        int n = xr.n();
        float[] y = new float[xr.size()]; // (x's shape)
        ComputePool.global().parallelFor(xr.rows(), Softmax.rowsPerChunk(n), (r0, r1) -> {
            for (int r = r0; r < r1; r++) row.apply(y, r * n, xr.array(), xr.at(r), n);
        });
        return Tensor.of(y, xr.shape());
    }

    /** A row kernel: out[outOff..] from x[xOff..], n elements. */
    @FunctionalInterface
    private interface RowOp {
        void apply(float[] out, int outOff, float[] x, int xOff, int n);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        return Norms.layerNormValues(kernels.rows(), x, gamma, beta, eps);
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal, Tensor paddingMask, float scale) {
        return Attention.multiHeadValues(kernels.attention(), q, k, v, heads, causal, paddingMask, scale);
    }

    /**
     * A 2-D matrix as a GEMM operand without a copy where its strides allow: {@code transposed} false
     * when it is stored row-major (row stride {@code ld}), true when it is a transposed view of a
     * row-major array (stored column-major, column stride {@code ld}).
     */
    record WeightView(float[] array, int offset, int ld, boolean transposed) {
        /** Per-thread room for a memory-mapped weight's values while one product reads them. */
        private static final ThreadLocal<float[][]> MAPPED = ThreadLocal.withInitial(() -> new float[1][0]);

        /**
         * The weight as the GEMM reads it. A memory-mapped one is copied into a buffer this thread
         * keeps, valid until its next call here, rather than into a fresh array per product.
         */
        static WeightView of(Tensor m) {
            int rows = m.size(0), cols = m.size(1);
            if (!m.storage().isHeap() && m.isContiguous()) {
                float[][] room = MAPPED.get();
                if (room[0].length < m.numel()) room[0] = new float[m.numel()];
                m.storage().copyTo(m.offset(), room[0], 0, m.numel());
                return new WeightView(room[0], 0, Math.max(cols, 1), false);
            }
            Tensor v = m.storage().isHeap() ? m : m.dense();
            int[] st = v.strides();
            if (st[1] == 1 || cols <= 1) return new WeightView(v.array(), v.offset(), Math.max(st[0], Math.max(cols, 1)), false);
            if (st[0] == 1 || rows <= 1) return new WeightView(v.array(), v.offset(), Math.max(st[1], Math.max(rows, 1)), true);
            Tensor d = v.dense();
            return new WeightView(d.array(), d.offset(), Math.max(cols, 1), false);
        }
    }
}
