package dev.vireo.examples.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * {@code vireo bench SUITE}: runs a benchmark report from the bench module, which {@code bin/vireo}
 * puts on the class path (the examples module does not depend on it).
 */
final class BenchCommand implements Command {
    private record Suite(String name, String mainClass, String summary) {}

    private static final List<Suite> SUITES = List.of(
            new Suite("kernels", "dev.vireo.bench.KernelBenchReport", "GEMM, attention and InfoNCE at 1 and 2 threads"),
            new Suite("clip", "dev.vireo.bench.model.ClipBenchReport", "ViT-B/32 image and text encoding, small-CLIP training step"));

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure kernels and models (JSON with --json)";
    }

    @Override
    public String usage() {
        StringBuilder sb = new StringBuilder("vireo bench SUITE [--json] [--quick]\nsuites:");
        for (Suite s : SUITES) sb.append("\n  ").append(s.name()).append("  ").append(s.summary());
        return sb.toString();
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty()) throw new UsageException("which suite?");
        Suite suite = SUITES.stream().filter(s -> s.name().equals(args.get(0))).findFirst()
                .orElseThrow(() -> new UsageException("unknown suite '" + args.get(0) + "'"));
        Class<?> cls;
        try {
            cls = Class.forName(suite.mainClass());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the bench module is not on the class path; run through bin/vireo");
        }
        Method main = cls.getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args.subList(1, args.size()).toArray(String[]::new));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            if (e.getCause() instanceof OutOfMemoryError oom) {
                throw new IllegalStateException("out of memory (" + oom.getMessage() + "): give the JVM more heap, e.g. VIREO_JAVA_OPTS=-Xmx8g", oom);
            }
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
        return 0;
    }
}
