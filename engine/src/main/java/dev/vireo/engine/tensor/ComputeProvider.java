package dev.vireo.engine.tensor;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.UnaryOp;

import java.util.List;
import java.util.Map;

/**
 * The device seam: where ops get their forward values, at tensor level. The CPU provider
 * ({@code dev.vireo.engine.autograd.CpuProvider}) is the first implementation and the reference; a
 * device provider (a TornadoVM backend, say) is found through {@link java.util.ServiceLoader} under
 * its {@link #name()} and chosen with {@code -Dvireo.device=NAME}. A device provider keeps the
 * weights it is handed by {@link #register} resident (uploaded once; the CPU provider needs nothing),
 * computes on its own buffers, and hands back to the CPU provider every op it does not implement
 * (Jlama's GPU {@code TensorOperations} delegating to its CPU one is the pattern).
 *
 * <p>Ops ask the provider for the values of a forward pass. Where a backward pass needs what the
 * forward pass computed on the way (layer norm's row statistics, attention's log-sum-exp), an op
 * that records a gradient computes on the host {@link #kernels()} instead, and every backward pass
 * runs there: the seam is the inference path, which is what a device accelerates.
 */
public interface ComputeProvider {

    /**
     * The provider ops use: the one bound by {@link #using} for the current call, else the process-wide
     * one, chosen once ({@code -Dvireo.device}, default {@code cpu}).
     */
    static ComputeProvider get() {
        return ComputeProviders.chosen();
    }

    /** The names of the providers present on the class path, {@code cpu} first. */
    static List<String> available() {
        return ComputeProviders.names();
    }

    /** Each provider on the class path, {@code cpu} first, with null where it can run here or one line saying why not. */
    static Map<String, String> statuses() {
        return ComputeProviders.statuses();
    }

    /**
     * The provider named {@code name} ({@code cpu}, {@code tornado}, ...), one instance per name for the
     * process; a one-line {@link IllegalStateException} when there is none of that name or it cannot run here.
     */
    static ComputeProvider named(String name) {
        return ComputeProviders.find(name, "backend " + name);
    }

    /**
     * Runs {@code work} with every op it starts on this thread on {@code provider} instead of the
     * process-wide one ({@link #get()} answers {@code provider} inside): how one model runs on a device
     * while the rest of the application stays on the CPU.
     */
    static <T, X extends Throwable> T using(ComputeProvider provider, ScopedValue.CallableOp<? extends T, X> work) throws X {
        return ComputeProviders.using(provider, work);
    }

    /** {@code cpu}, {@code tornado}, ... */
    String name();

    /** What this provider computes on, in words: the host CPU, or a device as its runtime names it. */
    default String device() {
        return "the host CPU";
    }

    /** True when this provider can run here; a device provider whose runtime is missing says why in {@link #unavailableReason()}. */
    default boolean isAvailable() {
        return unavailableReason() == null;
    }

    /** Null when this provider can run here, else one line saying why not. */
    default String unavailableReason() {
        return null;
    }

    /** The host kernels: backward passes, and the ops this provider hands back to the CPU. */
    KernelProvider kernels();

    /** Keeps these weights ready on the device (uploaded once, reused by every call); the CPU provider keeps nothing. */
    default void register(Iterable<Tensor> weights) {}

    /** Frees what {@link #register} kept for these weights. */
    default void release(Iterable<Tensor> weights) {}

    /**
     * {@code act(x·Wᵀ + b) + residual}: x (..., in), weight (out, in) as PyTorch stores it, bias (out)
     * or null, activation or null, residual (..., out) or null; returns (..., out). Values only.
     */
    Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation, Tensor residual);

    /**
     * {@code x·Wᵢᵀ + bᵢ} for weights that read the same input (attention's query, key and value):
     * x (..., in), weights (outᵢ, in), biases (outᵢ) or null; returns one (..., outᵢ) per weight, which
     * may be views of one array. A provider may run them as one product (the CPU does for registered
     * weights); the values are those of {@link #linear} one by one. Values only.
     */
    default Tensor[] linears(Tensor x, Tensor[] weights, Tensor[] biases) {
        Tensor[] out = new Tensor[weights.length];
        for (int i = 0; i < weights.length; i++) out[i] = linear(x, weights[i], biases[i], null, null);
        return out;
    }

    /**
     * The matrix product over the last two axes with broadcast batch axes: a (..., M, K), b (..., K, N)
     * → (..., M, N); values only.
     */
    Tensor matmul(Tensor a, Tensor b);

    /** f(x) elementwise; values only. */
    Tensor unary(UnaryOp op, Tensor x);

    /** a op b elementwise with NumPy broadcasting; values only. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** Softmax over the last axis; values only. */
    Tensor softmax(Tensor x);

    /** Log-softmax over the last axis; values only. */
    Tensor logSoftmax(Tensor x);

    /** Layer norm over the last axis with optional γ and β (either may be null); values only. */
    Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps);

    /**
     * Multi-head scaled dot-product attention on the projections' layout: q (B, Tq, H·D),
     * k (B, Tk, H·D), v (B, Tk, H·Dv) → (B, Tq, H·Dv), with an optional causal mask and padding mask
     * ((B, Tk), 1 = keep); values only.
     */
    Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal, Tensor paddingMask, float scale);

    /**
     * x (B, T, C) through a stack of pre-LN encoder layers with self-attention (causal or not, no
     * padding), values only: (B, T, C), or with {@code positions} (one per sequence) only the rows
     * there, (B, C). Null when this provider runs the layers op by op, as the CPU does. A device
     * answers with one plan per stack and shape: the activations stay on the device from layer to
     * layer and only the stack's output (the pooled rows, when asked) comes back.
     */
    default Tensor encoder(List<EncoderLayer> layers, Tensor x, boolean causal, int[] positions) {
        return null;
    }
}
