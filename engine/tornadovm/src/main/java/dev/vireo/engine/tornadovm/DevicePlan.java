package dev.vireo.engine.tornadovm;

import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/**
 * One op at one shape on the device: its task graph, compiled on first execution and reused; the
 * resident arrays (weights, copied once), the arrays copied in on every call, and the one copied back.
 * Built once per op, shape and weight and kept by {@link PlanCache}.
 */
final class DevicePlan implements AutoCloseable {
    /** OpenCL build flags of every plan: warnings off, nothing that relaxes IEEE arithmetic. */
    static final String STRICT_OPENCL_FLAGS = "-w";

    private final TornadoExecutionPlan plan;
    private final Object[] inputs; // FloatArray, or IntArray for indices
    private final FloatArray output;

    private DevicePlan(TornadoExecutionPlan plan, Object[] inputs, FloatArray output) {
        this.plan = plan;
        this.inputs = inputs;
        this.output = output;
    }

    /**
     * A plan whose tasks ({@code build} adds them; linear layers as tiled GEMMs where {@code tiledGemm})
     * read {@code resident} (copied to the device on the first
     * execution only) and {@code inputs} (copied every time) and writes {@code output}, copied back.
     */
    static DevicePlan of(String name, boolean tiledGemm, FloatArray[] resident, Object[] inputs, FloatArray output, Consumer<PlanBuilder> build) {
        TaskGraph graph = new TaskGraph(name);
        if (resident.length > 0) graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, (Object[]) resident);
        if (inputs.length > 0) graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, inputs);
        PlanBuilder builder = new PlanBuilder(name, graph, tiledGemm);
        build.accept(builder);
        graph.transferToHost(DataTransferMode.EVERY_EXECUTION, output);
        ImmutableTaskGraph frozen = graph.snapshot();
        TornadoExecutionPlan plan = new TornadoExecutionPlan(frozen);
        if (builder.grid() != null) plan.withGridScheduler(builder.grid());
        // TornadoVM's default OpenCL flags relax the math (-cl-fast-relaxed-math): NaN and Inf would not
        // propagate as on the CPU, and exp/erf would lose digits. Strict IEEE semantics instead.
        plan.withCompilerFlags(TornadoVMBackendType.OPENCL, STRICT_OPENCL_FLAGS);
        return new DevicePlan(plan, inputs, output);
    }

    /** The input array {@code i}, to fill before {@link #run}. */
    FloatArray input(int i) {
        return (FloatArray) inputs[i];
    }

    /** The index input {@code i}, to fill before {@link #run}. */
    IntArray indices(int i) {
        return (IntArray) inputs[i];
    }

    /** Runs the graph and copies its output into {@code dst} from {@code dstOffset}. */
    void run(float[] dst, int dstOffset) {
        plan.execute();
        MemorySegment.copy(output.getSegment(), ValueLayout.JAVA_FLOAT, 0, dst, dstOffset, output.getSize());
    }

    /** Copies {@code n} floats of {@code src} from {@code offset} into the device array {@code dst}. */
    static void fill(FloatArray dst, float[] src, int offset, int n) {
        MemorySegment.copy(src, offset, dst.getSegment(), ValueLayout.JAVA_FLOAT, 0, n);
    }

    /** A device array holding {@code n} floats of {@code src} from {@code offset}. */
    static FloatArray copyOf(float[] src, int offset, int n) {
        FloatArray a = new FloatArray(Math.max(n, 1));
        fill(a, src, offset, n);
        return a;
    }

    @Override
    public void close() {
        try {
            plan.close();
        } catch (Exception e) {
            throw new IllegalStateException("TornadoVM: freeing a plan's device memory failed: " + e.getMessage(), e);
        }
    }
}
