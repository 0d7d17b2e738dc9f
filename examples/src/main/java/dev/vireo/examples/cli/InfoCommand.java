package dev.vireo.examples.cli;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.examples.data.DataFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo info}: the JDK, the compute provider, the chosen kernels and vector species, the threads, where fetched weights are. */
@Command(name = "info", description = "show the JDK, the chosen kernels (scalar or vector), the vector width, the threads and where fetched weights are")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print one JSON document")
    boolean json;

    @Override
    public Integer call() {
        KernelProvider k = ComputeProvider.get().kernels();
        int bits = k.bits();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("vireo", Vireo.version());
        info.put("jdk", Runtime.version().toString());
        info.put("java_home", System.getProperty("java.home"));
        info.put("kernels", bits > 0 ? "vector" : "scalar");
        if (KernelProvider.fallbackReason() != null) info.put("kernels_reason", KernelProvider.fallbackReason());
        info.put("vector_bits", bits);
        info.put("float_lanes", bits / 32);
        info.put("preferred_vector_bits", KernelProvider.preferredBits());
        info.put("threads", ComputePool.global().threads());
        info.put("available_processors", Runtime.getRuntime().availableProcessors());
        info.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        info.put("provider", ComputeProvider.get().name());
        info.put("providers", ComputeProvider.available());
        Map<String, String> backends = backends();
        info.put("backends", backends);
        DataFetcher data = new DataFetcher(DataFetcher.defaultDataDir(), System.err);
        info.put("data_dir", DataFetcher.defaultDataDir().toAbsolutePath().toString());
        for (String name : TextModels.NAMES) {
            info.put(name, data.isPresent(name) ? data.folder(name).toAbsolutePath().toString() : null);
        }
        if (json) {
            System.out.println(Json.write(info));
        } else {
            System.out.println("Vireo " + info.get("vireo"));
            System.out.println("  JDK        " + info.get("jdk") + " (" + info.get("java_home") + ")");
            System.out.println("  kernels    " + (bits > 0 ? "vector (" + k.name() + ")" : "scalar")
                    + (KernelProvider.fallbackReason() != null ? " — " + KernelProvider.fallbackReason() : ""));
            System.out.println("  species    " + (bits > 0 ? bits + " bits, " + bits / 32 + " float lanes" : "none")
                    + " (CPU preferred: " + info.get("preferred_vector_bits") + " bits)");
            System.out.println("  threads    " + info.get("threads") + " (of " + info.get("available_processors") + " processors)");
            System.out.println("  heap       " + info.get("max_heap_mb") + " MiB max");
            System.out.println("  provider   " + info.get("provider") + " (found: " + String.join(", ", ComputeProvider.available()) + ")");
            backends.forEach((name, status) -> System.out.printf("  %-10s %s%n", name, status));
            System.out.println("  data       " + info.get("data_dir") + " (the vireo.dataDir property)");
            for (String name : TextModels.NAMES) {
                System.out.printf("  %-10s %s%n", name, info.get(name) != null ? info.get(name)
                        : "not fetched (bin/vireo data fetch " + name + ", or the first --model " + name + ")");
            }
        }
        return 0;
    }

    /**
     * Each compute backend, "available" or why not: those the service loader finds, and TornadoVM's
     * even when its module is absent (the default build), saying how to get it.
     */
    static Map<String, String> backends() {
        Map<String, String> out = new LinkedHashMap<>();
        ComputeProvider.statuses().forEach((name, reason) -> out.put(name, reason == null
                ? "available on " + ComputeProvider.named(name).device() : "unavailable: " + reason));
        out.putIfAbsent("tornado", "unavailable: the TornadoVM backend is not on the class path (build it with `mvn -Ptornadovm package` "
                + "where TORNADOVM_HOME names a TornadoVM SDK; bin/vireo then adds it; see the README)");
        return out;
    }
}
