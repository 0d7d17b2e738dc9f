package dev.vireo.models.clip;

import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.io.CheckpointFormatException;
import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.Clip;
import dev.vireo.models.config.ClipConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run folder (config.json + checkpoint.safetensors with the optimiser's state) loads for inference
 * with its weights left in the mapped file, and gives the features of the heap-loaded model to the bit.
 */
class ClipRunsTest {
    @TempDir
    Path dir;

    /** A tiny CLIP's run folder, with AdamW-shaped optimiser state (two moments per weight) beside the weights. */
    private Path runFolder() throws Exception {
        ClipConfig config = ClipConfig.create("tiny");
        ClipModel model = new ClipModel(config, 3);
        Map<String, Tensor> params = new LinkedHashMap<>(), moments = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            params.put(name, p.value());
            moments.put(name + ".exp_avg", Tensor.ones(p.value().shape()));
            moments.put(name + ".exp_avg_sq", Tensor.ones(p.value().shape()));
        });
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        AtomicFiles.writeString(run.resolve("config.json"), config.toJson());
        Checkpoint.capture(40, new Rng(1), config.toJson(), params, new OptimizerState("adamw", Map.of("step", "40"), moments))
                .save(run.resolve("checkpoint.safetensors"));
        return run;
    }

    @Test
    void theMappedModelGivesTheHeapModelsFeaturesToTheBit() throws Exception {
        Path run = runFolder();
        ClipModel heap = ClipRuns.load(run);
        try (ClipRuns.Mapped mapped = ClipRuns.loadMapped(run)) {
            mapped.model().namedParameters().forEach((name, p) -> assertThat(p.value().storage().isHeap()).as(name).isFalse());
            int side = heap.config().vision().imageSize();
            Tensor images = Tensor.randn(new Rng(7), 0, 1, 2, 3, side, side); // (2, 3, S, S)
            assertThat(mapped.model().encodeImage(images).toArray()).containsExactly(heap.encodeImage(images).toArray());
            int[] ids = new int[2 * 16];
            for (int i = 0; i < ids.length; i++) ids[i] = 1 + (i * 37) % 400;
            assertThat(mapped.model().encodeText(ids, 2, 16).toArray()).containsExactly(heap.encodeText(ids, 2, 16).toArray());
        }
    }

    @Test
    void clipLoadsARunFolderMapped() throws Exception {
        Path run = runFolder();
        ClipModel heap = ClipRuns.load(run);
        try (Clip clip = Clip.load(run)) {
            assertThat(clip.model().namedParameters().values().stream().noneMatch(p -> p.value().storage().isHeap())).isTrue();
            float[][] text = clip.encodeTexts(List.of("a red circle"));
            try (Clip onHeap = new Clip(heap, dev.vireo.models.text.ClipTokenizer.openai(), clip.preprocessor(), null, "vireo")) {
                assertThat(onHeap.encodeTexts(List.of("a red circle"))).isEqualTo(text);
            }
        }
    }

    @Test
    void aDamagedOptimiserStateIsRefusedThoughItIsNeverLoaded() throws Exception {
        Path run = runFolder();
        Path ckpt = run.resolve("checkpoint.safetensors");
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length - 3] ^= 0x10; // the last tensor in the data: an optimiser moment, after every model/ tensor
        Files.write(ckpt, bytes);
        assertThatThrownBy(() -> ClipRuns.loadMapped(run)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("do not match the checksum").hasMessageNotContaining("\n");
    }
}
