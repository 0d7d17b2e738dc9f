package dev.vireo.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vireo bench fuzz [--inputs N] [--seed S] [--targets a,b]}: N mutated inputs (default 100,000)
 * per parser of outside input ({@link FuzzTargets}), each with a 10 s limit, and one JSON document of
 * what they gave per parser: accepted, clean one-line errors, crashes (with examples), out-of-memory,
 * stack overflows, hangs, and the most bytes one input made the parser allocate. Progress on stderr.
 */
public final class FuzzBenchReport {
    private FuzzBenchReport() {}

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        int inputs = a.contains("--quick") ? 2_000 : intArg(a, "--inputs", 100_000);
        long seed = intArg(a, "--seed", 1);
        List<String> only = a.indexOf("--targets") >= 0 ? List.of(a.get(a.indexOf("--targets") + 1).split(",")) : null;
        Path scratch = Files.createTempDirectory("vireo-fuzz");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("inputs_per_target", inputs);
        report.put("seed", seed);
        Map<String, Object> targets = new LinkedHashMap<>();
        Fuzzer fuzzer = new Fuzzer(10_000);
        try {
            List<FuzzTarget> all = FuzzTargets.all(scratch);
            if (only != null && !FuzzTargets.names(all).containsAll(only)) {
                throw new IllegalArgumentException("unknown target in --targets " + String.join(",", only) + "; the targets are " + FuzzTargets.names(all));
            }
            for (FuzzTarget t : all) {
                if (only != null && !only.contains(t.name())) continue;
                long t0 = System.nanoTime();
                Fuzzer.Tally tally = fuzzer.run(t, inputs, seed);
                Map<String, Object> m = tally.toJson();
                m.put("seconds", (System.nanoTime() - t0) / 1e9);
                targets.put(t.name(), m);
                System.err.printf("fuzz %-22s %d inputs: %d accepted, %d clean errors, %d crashes, %d OOM, %d stack overflows, %d hangs (%.0f s)%n",
                        t.name(), tally.inputs, tally.accepted, tally.cleanErrors, tally.crashes, tally.outOfMemory, tally.stackOverflows,
                        tally.hangs, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            fuzzer.close();
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        report.put("targets", targets);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    }

    private static int intArg(List<String> a, String name, int fallback) {
        int at = a.indexOf(name);
        if (at < 0) return fallback;
        if (at + 1 >= a.size()) throw new IllegalArgumentException("bench fuzz: " + name + " needs a number");
        return Integer.parseInt(a.get(at + 1));
    }
}
