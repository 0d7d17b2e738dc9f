package dev.vireo.bench;

import dev.vireo.bench.fused.FusedBenchSections;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The fused kernels' sections of the report (attention and InfoNCE forward+backward, 1 and 2 threads). */
final class FusedSection implements BenchSection {
    private final String name;
    private final Supplier<List<Map<String, Object>>> rows;

    private FusedSection(String name, Supplier<List<Map<String, Object>>> rows) {
        this.name = name;
        this.rows = rows;
    }

    static FusedSection attention() {
        return new FusedSection("attention", FusedBenchSections::attention);
    }

    static FusedSection infonce() {
        return new FusedSection("infonce", FusedBenchSections::infonce);
    }

    @Override
    public String name() {
        return name;
    }

    /** The fused sections measure their own fixed shapes at 1 and 2 threads, as the JSON lists them. */
    @Override
    public List<Map<String, Object>> run(BenchTimer timer, int[] threads) {
        return rows.get();
    }
}
