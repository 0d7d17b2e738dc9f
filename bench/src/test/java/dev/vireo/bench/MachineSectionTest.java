package dev.vireo.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineSectionTest {

    @Test
    void eachThreadCountHasAnFmaAndAReadRowWhoseTotalIsTheSumOfItsThreads() {
        List<Map<String, Object>> rows = new MachineSection().run(BenchTimer.QUICK, new int[] {1, 2});
        assertEquals(List.of("fma", "read", "fma", "read"), rows.stream().map(r -> r.get("what")).toList());
        for (Map<String, Object> row : rows) {
            String unit = row.get("what").equals("fma") ? "gflops" : "gbps";
            int threads = (int) row.get("threads");
            @SuppressWarnings("unchecked")
            List<Double> each = (List<Double>) row.get("per_thread_" + unit);
            assertEquals(threads, each.size(), row.toString());
            double total = (double) row.get(unit);
            assertTrue(total > 0 && Double.isFinite(total), row.toString());
            assertEquals(total, each.stream().mapToDouble(Double::doubleValue).sum(), 0.1 * threads, row.toString());
            for (double v : each) assertTrue(v > 0, row.toString());
        }
    }

    @Test
    void aGemmRowGivesItsShareOfTheFmaPeak() {
        List<Map<String, Object>> rows = new GemmSection(List.of("96x96x96")).run(BenchTimer.QUICK, new int[] {1});
        assertEquals(3, rows.size()); // nn, nt, tn
        for (Map<String, Object> row : rows) {
            double share = (double) row.get("of_fma_peak"), gflops = (double) row.get("gflops");
            assertTrue(share > 0, row.toString());
            assertEquals(gflops / MachineSection.fmaPeak(1), share, 0.01, row.toString());
        }
    }
}
