package dev.vireo.engine.tornadovm;

import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;

/**
 * Whether a TornadoVM runtime can run here, found without crashing the JVM: TornadoVM's classes throw
 * an {@code ExceptionInInitializerError} when the JVM was started without the SDK's flags, so the
 * system property and module the flags bring are checked first, and the default device is probed
 * inside a try/catch only then. The answer is computed once.
 */
final class TornadoRuntime {
    /** Set by the SDK's {@code tornado-argfile}; absent, TornadoVM cannot start. */
    static final String RUNTIME_PROPERTY = "tornado.load.runtime.implementation";
    private static final String BAILOUT_PROPERTY = "tornado.recover.bailout";
    /**
     * The room TornadoVM gives a task graph's bytecode (4 KiB by default, about a dozen encoder
     * layers' tasks); an encoder plan of {@link DeviceEncoder#MAX_LAYERS} layers needs more.
     */
    private static final String BYTECODE_PROPERTY = "tornado.tvm.maxbytecodesize";

    private TornadoRuntime() {}

    /** Null when a TornadoVM device can run kernels here, else one line saying why not. */
    static String unavailableReason() {
        return Probe.REASON;
    }

    /** The default device's description, or null when there is none. */
    static String deviceName() {
        return Probe.DEVICE;
    }

    /** Whether the default device is a GPU (or another accelerator), which the tiled GEMM is for. */
    static boolean isGpu() {
        return Probe.GPU;
    }

    private static final class Probe {
        static String DEVICE;
        static boolean GPU;
        static final String REASON = probe();

        private static String probe() {
            if (System.getProperty(RUNTIME_PROPERTY) == null) {
                return "TornadoVM is not loaded: start the JVM with @$TORNADOVM_HOME/tornado-argfile (bin/vireo adds it when TORNADOVM_HOME"
                        + " names a TornadoVM installation)";
            }
            if (ModuleLayer.boot().findModule("tornado.runtime").isEmpty()) {
                return "TornadoVM's module tornado.runtime is not on the module path: check the tornado-argfile of TORNADOVM_HOME";
            }
            // A kernel TornadoVM cannot compile must fail loudly (and fall back to the CPU, counted) rather
            // than run silently as plain Java on the host.
            if (System.getProperty(BAILOUT_PROPERTY) == null) System.setProperty(BAILOUT_PROPERTY, "False");
            if (System.getProperty(BYTECODE_PROPERTY) == null) System.setProperty(BYTECODE_PROPERTY, "65536");
            try {
                TornadoDevice device = TornadoExecutionPlan.DEFAULT_DEVICE;
                if (device == null) return "TornadoVM found no device (is an OpenCL driver installed? `clinfo -l` lists them)";
                DEVICE = device.getPhysicalDevice().getDeviceName() + " (" + device.getTornadoVMBackend() + ", " + device.getDeviceType() + ")";
                GPU = device.getDeviceType() == TornadoDeviceType.GPU || device.getDeviceType() == TornadoDeviceType.ACCELERATOR;
                return null;
            } catch (Throwable t) { // an initializer error or a driver's failure: say it in one line
                Throwable cause = t;
                while (cause.getCause() != null) cause = cause.getCause();
                String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                return "TornadoVM could not start a device: " + message.lines().findFirst().orElse(message);
            }
        }
    }
}
