package dev.vireo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain (non-JMH) kernel benchmark that prints one JSON object, one array per section:
 * {@code {"machine": [{"what":"fma","threads":1,"gflops":..}, ...], "gemm": [{"m":..,"k":..,"n":..,"form":"nn","threads":1,"gflops":..,"of_fma_peak":..}, ...]}}.
 * {@code bench/peers/compare_kernels.sh} runs it beside numpy and torch and prints the ratios.
 * Usage: {@code KernelBenchReport [--quick] [--threads 1,2] [--sections gemm] [--shapes 1024x1024x1024,...]};
 * progress goes to stderr.
 */
public final class KernelBenchReport {
    /** Every section, in output order. {@code shapes} filters GEMM shapes (null: all). */
    static List<BenchSection> sections(List<String> shapes) {
        return List.of(new MachineSection(), new GemmSection(shapes), FusedSection.attention(), FusedSection.infonce());
    }

    private KernelBenchReport() {}

    public static void main(String[] args) throws Exception {
        BenchTimer timer = BenchTimer.FULL;
        int[] threads = {1, 2};
        List<String> only = null;
        List<String> shapes = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> timer = BenchTimer.QUICK;
                case "--json" -> { } // the report is always one JSON document on stdout; progress goes to stderr
                case "--threads" -> threads = Arrays.stream(value(args, ++i).split(",")).mapToInt(Integer::parseInt).toArray();
                case "--sections" -> only = List.of(value(args, ++i).split(","));
                case "--shapes" -> shapes = List.of(value(args, ++i).split(","));
                default -> throw new IllegalArgumentException("KernelBenchReport: unknown argument " + args[i]
                        + " (expected --quick, --threads 1,2, --sections machine,gemm,attention,infonce, --shapes MxKxN,...)");
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        for (BenchSection section : sections(shapes)) {
            if (only != null && !only.contains(section.name())) continue;
            System.err.println("== " + section.name());
            report.put(section.name(), section.run(timer, threads));
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException("KernelBenchReport: " + args[i - 1] + " needs a value");
        return args[i];
    }
}
