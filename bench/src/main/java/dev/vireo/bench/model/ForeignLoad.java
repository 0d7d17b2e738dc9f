package dev.vireo.bench.model;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes took while a measurement ran, in CPUs (0: the machine was ours; 1: a
 * whole core busy elsewhere): the machine's busy time from /proc/stat less this process's own CPU
 * time, over the wall time. The PyTorch peers' scripts measure the same ({@code foreign_cpu}), so a
 * comparison can tell a slow round from a shared one. NaN where /proc/stat cannot be read.
 */
final class ForeignLoad {
    /** Linux's USER_HZ, the unit of /proc/stat, on every architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long busyTicks = busyTicks();
    private final long ownNanos = ownCpuNanos();
    private final long start = System.nanoTime();

    /** Foreign CPUs since this was made. */
    double cpus() {
        long busy = busyTicks(), own = ownCpuNanos();
        double wall = (System.nanoTime() - start) / 1e9;
        if (busy < 0 || busyTicks < 0 || own < 0 || wall <= 0) return Double.NaN;
        return Math.max(0, ((busy - busyTicks) / TICKS_PER_SECOND - (own - ownNanos) / 1e9) / wall);
    }

    /** user + nice + system + irq + softirq + steal of all CPUs, in ticks; -1 if unreadable. */
    private static long busyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7])
                    + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ownCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }
}
