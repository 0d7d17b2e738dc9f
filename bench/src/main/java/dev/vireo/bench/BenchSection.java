package dev.vireo.bench;

import java.util.List;
import java.util.Map;

/**
 * One section of {@link KernelBenchReport}: a name (the JSON key) and the measurements it makes,
 * one JSON object (an ordered map of plain values) per row. A new benchmark (attention, InfoNCE)
 * is a new implementation added to {@code KernelBenchReport.sections}.
 */
public interface BenchSection {

    /** The JSON key of this section, e.g. {@code gemm}. */
    String name();

    /** Runs every measurement of the section with {@code timer} (full or quick), for each thread count. */
    List<Map<String, Object>> run(BenchTimer timer, int[] threads);
}
