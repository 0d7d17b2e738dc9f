package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench kernels --quick} (GEMM): its JSON keys and figures a machine can give; {@code data list} on an empty and a filled folder. */
class BenchAndDataCommandsTest {
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path tmp;

    @Test
    void quickKernelBenchGivesEveryKeyAndPlausibleFigures() throws Exception {
        assertThat(Vireo.run("bench", "kernels", "--quick", "--threads", "1,2", "--shapes", "64x64x64,200x96x130",
                "--sections", "gemm")).as("%s", console.err()).isZero();
        JsonNode j = console.json();
        assertThat(j.get("gemm")).hasSize(2 * 3 * 2); // shapes × forms (nn, nt, tn) × thread counts
        for (JsonNode row : j.get("gemm")) {
            for (String key : List.of("m", "k", "n", "form", "threads", "impl", "gflops")) {
                assertThat(row.has(key)).as("gemm row %s has %s", row, key).isTrue();
            }
            assertThat(row.get("form").asText()).isIn("nn", "nt", "tn");
            assertThat(row.get("threads").asInt()).isIn(1, 2);
            // above zero (timed after the JIT: a run of the interpreted kernels gave 0.0 for 64³) and below
            // what two cores of any CPU can do; the per-CPU figure is finite too
            assertThat(row.get("gflops").asDouble()).as("GFLOP/s of %s", row).isGreaterThan(0).isLessThan(20_000);
            if (row.has("gflops_per_cpu")) { // left out when the run was too short for the process CPU clock
                assertThat(row.get("gflops_per_cpu").asDouble()).as("GFLOP/s per CPU of %s", row).isGreaterThan(0).isLessThan(20_000);
            }
        }
    }

    private String line(String name) {
        return console.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
    }

    @Test
    void dataListNamesEveryPackageAndWhatIsFetched() throws Exception {
        assertThat(Vireo.run("data", "list", "--data-dir", tmp.toString())).isZero();
        List<String> lines = console.out().lines().toList();
        assertThat(lines).hasSize(4);
        for (String name : List.of("fashion-mnist", "mnist", "skimage-photos", "minilm")) {
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(name + " ").endsWith("not fetched"));
        }
        Path folder = tmp.resolve("minilm");
        List<String> files = List.of("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", "modules.json",
                "1_Pooling/config.json", "sentence_bert_config.json");
        for (String f : files) {
            Files.createDirectories(folder.resolve(f).getParent());
            Files.writeString(folder.resolve(f), "x");
        }
        Files.delete(folder.resolve("modules.json")); // one file short: not fetched yet
        console.resetOut();
        assertThat(Vireo.run("data", "list", "--data-dir", tmp.toString())).isZero();
        assertThat(line("minilm")).endsWith("not fetched");
        Files.writeString(folder.resolve("modules.json"), "x");
        console.resetOut();
        assertThat(Vireo.run("data", "list", "--data-dir", tmp.toString())).isZero();
        assertThat(line("minilm")).contains("present in").contains(folder.toString());
        assertThat(line("mnist")).endsWith("not fetched");
    }
}
