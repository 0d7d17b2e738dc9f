package dev.vireo.engine.io;

import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoint layout, round trip, and the errors of loading one into the wrong model. */
class CheckpointTest {
    @TempDir
    Path dir;

    static Map<String, Tensor> model() {
        Rng rng = new Rng(3);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("proj.weight", Tensor.randn(rng, 0, 1, 4, 3));
        m.put("proj.bias", Tensor.randn(rng, 0, 1, 4));
        return m;
    }

    @Test
    void roundTripsEverything() throws Exception {
        Rng rng = new Rng(42);
        rng.nextLong();
        OptimizerState opt = new OptimizerState("adamw", Map.of("group.0.lr", "0.001", "proj.bias.step", "7"),
                Map.of("proj.bias.exp_avg", Tensor.ones(4)));
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.capture(7, rng, "{\"model\":\"tiny\",\"lr\":1e-3}", model(), opt).save(file);

        Checkpoint c = Checkpoint.load(file);
        assertThat(c.step()).isEqualTo(7);
        assertThat(c.rngState()).isEqualTo(rng.state());
        assertThat(c.configJson()).isEqualTo("{\"model\":\"tiny\",\"lr\":1e-3}");
        assertThat(c.optimizer()).isNotNull();
        assertThat(c.optimizer().type()).isEqualTo("adamw");
        assertThat(c.optimizer().scalars()).isEqualTo(opt.scalars());
        assertThat(c.optimizer().values("proj.bias.exp_avg", new int[] {4})).containsExactly(1f, 1f, 1f, 1f);

        Map<String, Tensor> fresh = new LinkedHashMap<>();
        fresh.put("proj.weight", Tensor.zeros(4, 3));
        fresh.put("proj.bias", Tensor.zeros(4));
        c.restoreModel(fresh);
        assertThat(fresh.get("proj.weight").toArray()).containsExactly(model().get("proj.weight").toArray());

        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertThat(r.names()).containsExactlyInAnyOrder("model/proj.weight", "model/proj.bias", "optimizer/proj.bias.exp_avg");
            assertThat(r.metadata()).containsEntry("format", Checkpoint.FORMAT).containsEntry("optimizer", "adamw")
                    .containsEntry("optimizer.proj.bias.step", "7");
        }
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).as("no temporary file is left behind").containsExactly(file);
        }
    }

    @Test
    void savesWeightsWithoutAnOptimizer() throws Exception {
        Path file = dir.resolve("weights.safetensors");
        Checkpoint.capture(0, new Rng(1), "{}", model(), null).save(file);
        assertThat(Checkpoint.load(file).optimizer()).isNull();
        assertThat(Checkpoint.load(file).ema()).isNull();
    }

    @Test
    void keepsAnEma() throws Exception {
        Path file = dir.resolve("ema.safetensors");
        OptimizerState ema = new OptimizerState("ema", Map.of("updates", "3"), Map.of("proj.bias", Tensor.full(2f, 4)));
        Checkpoint.capture(3, new Rng(1), "{}", model(), null, ema).save(file);
        Checkpoint c = Checkpoint.load(file);
        assertThat(c.ema().scalar("updates")).isEqualTo("3");
        assertThat(c.ema().values("proj.bias", new int[] {4})).containsOnly(2f);
        assertThat(c.optimizer()).isNull();
    }

    @Test
    void refusesTheWrongModel() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.capture(1, new Rng(1), "{}", model(), null).save(file);
        Checkpoint c = Checkpoint.load(file);
        Map<String, Tensor> wrong = new LinkedHashMap<>();
        wrong.put("proj.weight", Tensor.zeros(3, 4));
        wrong.put("proj.bias", Tensor.zeros(4));
        assertThatThrownBy(() -> c.restoreModel(wrong)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("proj.weight").hasMessageContaining("(4, 3)").hasMessageContaining("(3, 4)");
        assertThat(wrong.get("proj.bias").toArray()).as("nothing copied on failure").containsOnly(0f);
        assertThatThrownBy(() -> c.restoreModel(Map.of("proj.weight", Tensor.zeros(4, 3))))
                .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("proj.bias");
        assertThatThrownBy(() -> c.restoreModel(Map.of("other", Tensor.zeros(1)))).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("other");
    }

    @Test
    void refusesAPlainSafetensorsFile() throws Exception {
        Path file = dir.resolve("plain.safetensors");
        SafetensorsWriter.write(file, model(), Map.of());
        assertThatThrownBy(() -> Checkpoint.load(file)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(Checkpoint.FORMAT);
    }
}
