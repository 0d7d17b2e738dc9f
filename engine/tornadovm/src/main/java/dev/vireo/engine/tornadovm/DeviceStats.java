package dev.vireo.engine.tornadovm;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What the TornadoVM backend did: ops run on the device, ops handed to the CPU (with the reason,
 * logged the first time each op and reason is seen: a fallback is never silent), floats copied to and
 * from the device. Read by tests and applications ({@code TornadoProvider.stats()}); thread-safe.
 */
public final class DeviceStats {
    private static final Logger LOG = Logger.getLogger(DeviceStats.class.getName());

    private final Map<String, Long> onDevice = new TreeMap<>();
    private final Map<String, Long> onCpu = new TreeMap<>();
    private long floatsUp, floatsDown, weightFloats;

    synchronized void ran(String op) {
        onDevice.merge(op, 1L, Long::sum);
    }

    <T> T fallback(String op, String reason, Supplier<T> cpu) {
        boolean first;
        synchronized (this) {
            first = onCpu.merge(op + ": " + reason, 1L, Long::sum) == 1L;
        }
        if (first) LOG.info(() -> "tornado: " + op + " runs on the CPU (" + reason + "); its operands and result cross to the host");
        return cpu.get();
    }

    synchronized void moved(long up, long down) {
        floatsUp += up;
        floatsDown += down;
    }

    synchronized void uploaded(long floats) {
        weightFloats += floats;
        floatsUp += floats;
    }

    /** Calls run on the device, by op. */
    public synchronized Map<String, Long> deviceOps() {
        return new TreeMap<>(onDevice);
    }

    /** Calls handed to the CPU, by "op: reason". */
    public synchronized Map<String, Long> cpuFallbacks() {
        return new TreeMap<>(onCpu);
    }

    /** Bytes copied to the device (weights included) and back. */
    public synchronized long bytesUp() {
        return 4 * floatsUp;
    }

    public synchronized long bytesDown() {
        return 4 * floatsDown;
    }

    /** Bytes of registered weights kept on the device. */
    public synchronized long residentBytes() {
        return 4 * weightFloats;
    }

    @Override
    public synchronized String toString() {
        return String.format("device ops %s; CPU fallbacks %s; %.1f MB up (%.1f MB of weights), %.1f MB down",
                onDevice, onCpu, floatsUp * 4e-6, weightFloats * 4e-6, floatsDown * 4e-6);
    }
}
