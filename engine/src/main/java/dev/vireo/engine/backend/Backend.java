package dev.vireo.engine.backend;

import dev.vireo.engine.tensor.Tensor;

/**
 * The seam where a device backend plugs in. Vireo's autograd and kernels run on the host; a
 * backend holds tensors on its device, moves them only when told ({@link #upload},
 * {@link #download}: never implicitly), and runs the ops of {@link BackendOp} on them.
 *
 * <p>How a device backend fits: weights are uploaded once and stay resident (TornadoVM's
 * {@code FIRST_EXECUTION}); activations flow op to op as {@link DeviceTensor}s without a round trip;
 * the caller downloads the result. Off-heap {@code Storage} keeps 16 bytes before its data so a
 * TornadoVM backend can wrap host memory without a copy. {@link CpuBackend} is the default and the
 * reference every other backend is tested against.
 */
public interface Backend extends AutoCloseable {

    /** A short name: {@code cpu}, {@code tornado-opencl:0}, ... */
    String name();

    /** True if {@link #run} accepts this op. */
    boolean supports(BackendOp op);

    /** Copies a host tensor to the device. */
    DeviceTensor upload(Tensor host);

    /** Copies a device tensor back to a new contiguous host tensor. */
    Tensor download(DeviceTensor device);

    /**
     * Runs one op on device tensors and returns the result on the device.
     *
     * @throws UnsupportedOperationException if {@link #supports} is false for {@code op}
     * @throws IllegalArgumentException      on a wrong number of inputs or mismatched shapes
     */
    DeviceTensor run(BackendOp op, DeviceTensor... inputs);

    /** Frees everything this backend holds. */
    @Override
    void close();
}
