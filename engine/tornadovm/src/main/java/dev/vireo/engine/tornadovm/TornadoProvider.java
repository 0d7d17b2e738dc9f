package dev.vireo.engine.tornadovm;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.EncoderLayer;
import dev.vireo.engine.tensor.Tensor;

import java.util.List;

/**
 * The TornadoVM backend behind the device seam, registered as {@code tornado} with the service loader
 * ({@code --backend tornado}, {@code Clip.Options.withBackend("tornado")}, {@code -Dvireo.device=tornado}).
 * This class touches no TornadoVM class: where the JVM was started without TornadoVM (its jar on the
 * class path but not the SDK's flags) it only says why it cannot run, and the other providers load as
 * ever. The ops themselves are {@link DeviceOps}, made on first use. Backward passes run on the host
 * kernels, as the seam defines.
 */
public final class TornadoProvider implements ComputeProvider {
    private volatile DeviceOps ops;

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public String unavailableReason() {
        return TornadoRuntime.unavailableReason();
    }

    /** The device the kernels run on, as TornadoVM names it (name, backend, type); null where it cannot run. */
    @Override
    public String device() {
        return TornadoRuntime.deviceName();
    }

    @Override
    public KernelProvider kernels() {
        return KernelProvider.get();
    }

    /** What ran where so far: ops on the device, ops handed to the CPU and why, bytes moved. */
    public DeviceStats stats() {
        return ops().stats();
    }

    /** Frees every plan and resident weight (tests, and an application shutting the device down). */
    public void clear() {
        if (ops != null) ops.clear();
    }

    private DeviceOps ops() {
        DeviceOps o = ops;
        if (o != null) return o;
        synchronized (this) {
            if (ops == null) {
                String reason = unavailableReason();
                if (reason != null) throw new IllegalStateException("tornado: " + reason);
                ops = new DeviceOps(TornadoRuntime.isGpu()); // a CPU device (PoCL) runs the loop-parallel GEMM faster
            }
            return ops;
        }
    }

    @Override
    public void register(Iterable<Tensor> weights) {
        ops().register(weights);
    }

    @Override
    public void release(Iterable<Tensor> weights) {
        ops().release(weights);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation, Tensor residual) {
        return ops().linear(x, weight, bias, activation, residual);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return ops().matmul(a, b);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return ops().unary(op, x);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return ops().binary(op, a, b);
    }

    @Override
    public Tensor softmax(Tensor x) {
        return ops().softmax(x);
    }

    @Override
    public Tensor logSoftmax(Tensor x) {
        return ops().logSoftmax(x);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        return ops().layerNorm(x, gamma, beta, eps);
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal, Tensor paddingMask, float scale) {
        return ops().attention(q, k, v, heads, causal, paddingMask, scale);
    }

    @Override
    public Tensor encoder(List<EncoderLayer> layers, Tensor x, boolean causal, int[] positions) {
        return ops().encoder(layers, x, causal, positions);
    }
}
