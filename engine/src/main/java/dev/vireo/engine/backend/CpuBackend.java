package dev.vireo.engine.backend;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.Kernels;
import dev.vireo.engine.kernel.UnaryOp;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/** The host as a backend: "device" tensors are dense host copies, ops run on Vireo's kernels. */
public final class CpuBackend implements Backend {
    private static final int ROWS_PER_CHUNK = 16;

    private final Kernels kernels = KernelProvider.kernels();

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean supports(BackendOp op) {
        return true;
    }

    @Override
    public DeviceTensor upload(Tensor host) {
        return new HostBuffer(this, Tensor.of(host.toArray(), host.shape()));
    }

    @Override
    public Tensor download(DeviceTensor device) {
        Tensor t = own(device).tensor;
        return Tensor.of(t.toArray(), t.shape());
    }

    @Override
    public DeviceTensor run(BackendOp op, DeviceTensor... inputs) {
        if (inputs.length != op.arity()) {
            throw new IllegalArgumentException(op + ": expects " + op.arity() + " inputs, got " + inputs.length);
        }
        Tensor[] in = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) in[i] = own(inputs[i]).tensor;
        try (var ignored = GradMode.noGrad()) {
            Tensor result = switch (op) {
                case MATMUL -> matrix(op, in[0]).matmul(matrix(op, in[1]));
                case MATMUL_NT -> matrix(op, in[0]).matmul(matrix(op, in[1]).transpose(0, 1));
                case ADD -> {
                    sameShape(op, in[0], in[1]);
                    yield in[0].add(in[1]);
                }
                case ADD_ROW_BIAS -> {
                    Tensor a = matrix(op, in[0]);
                    if (in[1].rank() != 1 || in[1].size(0) != a.size(1)) {
                        throw new IllegalArgumentException(op + ": bias " + Shapes.str(in[1].shape()) + " for rows of "
                                + Shapes.str(a.shape()));
                    }
                    yield a.add(in[1]);
                }
                case GELU -> in[0].gelu();
                case QUICK_GELU -> in[0].quickGelu();
                case SOFTMAX -> rows(in[0], (y, x, off, n) -> kernels.softmaxRow(y, off, x, off, n));
                case LAYER_NORM -> {
                    int n = in[0].size(-1);
                    float[] gamma = vector(op, in[1], n), beta = vector(op, in[2], n);
                    yield rows(in[0], (y, x, off, len) -> kernels.layerNormRow(y, off, x, off, gamma, beta, len, 1e-5f, null, 0));
                }
            };
            return new HostBuffer(this, result);
        }
    }

    @Override
    public void close() {
        // host buffers are garbage-collected
    }

    private interface RowOp {
        void apply(float[] out, float[] x, int off, int n);
    }

    private static Tensor rows(Tensor t, RowOp op) {
        float[] x = t.toArray();
        float[] out = new float[x.length];
        int n = t.rank() == 0 ? 1 : t.size(-1);
        int rows = n == 0 ? 0 : x.length / n;
        ComputePool.global().parallelFor(rows, ROWS_PER_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) op.apply(out, x, r * n, n);
        });
        return Tensor.of(out, t.shape());
    }

    private HostBuffer own(DeviceTensor d) {
        if (!(d instanceof HostBuffer h) || h.backend != this) {
            throw new IllegalArgumentException("cpu backend: tensor belongs to backend " + d.backend().name());
        }
        if (h.tensor == null) throw new IllegalStateException("cpu backend: tensor was closed");
        return h;
    }

    private static Tensor matrix(BackendOp op, Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException(op + ": expects a matrix, got shape " + Shapes.str(t.shape()));
        return t;
    }

    private static void sameShape(BackendOp op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.str(a.shape()) + " and " + Shapes.str(b.shape()) + " differ");
        }
    }

    private static float[] vector(BackendOp op, Tensor t, int n) {
        if (t.rank() != 1 || t.size(0) != n) {
            throw new IllegalArgumentException(op + ": expects a vector of " + n + ", got shape " + Shapes.str(t.shape()));
        }
        return t.toArray();
    }

    private static final class HostBuffer implements DeviceTensor {
        final CpuBackend backend;
        Tensor tensor;

        HostBuffer(CpuBackend backend, Tensor tensor) {
            this.backend = backend;
            this.tensor = tensor;
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public int[] shape() {
            return tensor.shape();
        }

        @Override
        public void close() {
            tensor = null;
        }
    }
}
