package dev.vireo.engine.autograd;

import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weights memory-mapped from a safetensors file, as a loaded model has them: rows of an embedding
 * table are read where they are, and a registered weight gives the heap weight's bits on every use,
 * before and after it is packed (when its mapped pages are handed back to the operating system).
 */
class MappedWeightsTest {
    @TempDir
    Path dir;

    @Test
    void embeddingRowsAndRegisteredProductsAreTheHeapOnes() throws Exception {
        Rng rng = new Rng(3);
        Tensor table = Tensor.randn(rng, 0f, 1f, 1000, 24);  // (V, C)
        Tensor weight = Tensor.randn(rng, 0f, 0.1f, 40, 300); // (out, in)
        Tensor bias = Tensor.randn(rng, 0f, 1f, 40);          // (out)
        Tensor x = Tensor.randn(rng, 0f, 1f, 7, 300);         // (rows, in)
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.write(file, Map.of("table", table, "weight", weight, "bias", bias), Map.of());
        int[] ids = {0, 999, 5, 5, 123};
        CpuProvider p = (CpuProvider) ComputeProvider.get();
        float[] expected = p.linear(x, weight, bias, UnaryOp.GELU, null).toArray();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            Tensor mappedTable = reader.tensor("table"), mappedWeight = reader.tensor("weight"), mappedBias = reader.tensor("bias");
            assertThat(mappedTable.storage().isHeap()).isFalse();
            assertThat(ShapeOps.embedding(mappedTable, ids, 5).toArray()).isEqualTo(ShapeOps.embedding(table, ids, 5).toArray());
            p.register(List.of(mappedWeight, mappedBias));
            try {
                for (int use = 1; use <= 3; use++) {
                    assertThat(p.linear(x, mappedWeight, mappedBias, UnaryOp.GELU, null).toArray()).as("use " + use).isEqualTo(expected);
                }
                assertThat(mappedWeight.toArray()).as("read again after its pages were handed back").isEqualTo(weight.toArray());
            } finally {
                p.release(List.of(mappedWeight, mappedBias));
            }
            assertThat(p.linear(x, mappedWeight, mappedBias, UnaryOp.GELU, null).toArray()).as("released").isEqualTo(expected);
        }
    }
}
