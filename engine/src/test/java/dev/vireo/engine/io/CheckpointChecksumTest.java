package dev.vireo.engine.io;

import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A checkpoint carries a checksum of all it holds: any single flipped bit in its tensors or in its
 * metadata is refused with one line naming the file, and a checkpoint saved before checksums still loads.
 */
class CheckpointChecksumTest {
    @TempDir
    Path dir;

    private Path saved() throws Exception {
        OptimizerState opt = new OptimizerState("adamw", Map.of("group.0.lr", "0.001"), Map.of("proj.bias.exp_avg", Tensor.ones(4)));
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.capture(12, new Rng(5), "{\"model\":\"tiny\"}", CheckpointTest.model(), opt).save(file);
        return file;
    }

    @Test
    void everyFlippedBitIsRefused() throws Exception {
        Path file = saved();
        byte[] good = Files.readAllBytes(file);
        assertThat(Checkpoint.load(file).step()).isEqualTo(12);
        long headerEnd = 8 + ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(good, 8, (int) (headerEnd - 8), StandardCharsets.UTF_8);
        int stepDigit = 8 + header.indexOf("\"step\":\"12\"") + "\"step\":\"1".length();
        Rng rng = new Rng(9);
        int tried = 0;
        // every bit of the tensor data, and a digit of the step in the metadata
        for (int at = (int) headerEnd; at <= good.length; at++) {
            int pos = at == good.length ? stepDigit : at;
            int bit = at == good.length ? 0 : rng.nextInt(8);
            byte[] bad = good.clone();
            bad[pos] ^= (byte) (1 << bit);
            Path damaged = dir.resolve("damaged.safetensors");
            Files.write(damaged, bad);
            assertThatThrownBy(() -> Checkpoint.load(damaged)).as("byte %d bit %d", pos, bit)
                    .isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining(damaged.toString()).hasMessageContaining("do not match the checksum")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> Checkpoint.mapModel(damaged)).as("mapped: byte %d bit %d", pos, bit)
                    .isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining(damaged.toString()).hasMessageContaining("do not match the checksum")
                    .hasMessageNotContaining("\n");
            tried++;
        }
        assertThat(tried).isEqualTo(good.length - (int) headerEnd + 1);
    }

    @Test
    void theModelMappedForInferenceIsTheSavedModelReadInPlace() throws Exception {
        Path file = saved();
        Checkpoint heap = Checkpoint.load(file);
        try (Checkpoint.MappedModel mapped = Checkpoint.mapModel(file)) {
            assertThat(mapped.step()).isEqualTo(12);
            assertThat(mapped.configJson()).isEqualTo(heap.configJson());
            assertThat(mapped.model().keySet()).containsExactlyElementsOf(heap.model().keySet()); // no optimizer/ tensor among them
            mapped.model().forEach((name, t) -> {
                assertThat(t.storage().isHeap()).as(name).isFalse();
                assertThat(t.toArray()).as(name).containsExactly(heap.model().get(name).toArray());
            });
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                assertThat(CheckpointChecksum.ofMapped(r.metadata(), r)).isEqualTo(r.metadata().get(CheckpointChecksum.KEY));
            }
        }
    }

    @Test
    void aCheckpointSavedBeforeChecksumsStillLoads() throws Exception {
        Path file = dir.resolve("old.safetensors");
        SafetensorsWriter.write(file, Map.of("model/proj.bias", Tensor.ones(4)),
                Map.of("format", Checkpoint.FORMAT, "step", "3", "rng_state", "1", "config", ""));
        assertThat(Checkpoint.load(file).model().get("proj.bias").toArray()).containsExactly(1f, 1f, 1f, 1f);
    }

    @Test
    void aChecksumOfAnotherKindIsNamed() throws Exception {
        Path file = dir.resolve("other.safetensors");
        SafetensorsWriter.write(file, Map.of("model/proj.bias", Tensor.ones(4)),
                Map.of("format", Checkpoint.FORMAT, "step", "3", "rng_state", "1", "config", "", "checksum", "md5:00"));
        assertThatThrownBy(() -> Checkpoint.load(file)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("checksum 'md5:00' is not crc32c:");
    }
}
