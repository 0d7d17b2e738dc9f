package dev.vireo.models.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A config.json whose sizes do not fit its weights is refused before the model is allocated. */
class OversizedConfigTest {
    private static final Path TINY = Path.of("src/test/resources/hf/tiny-clip");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The tiny HF model with one field of its text config replaced. */
    private Path tinyWith(String field, long value) throws IOException {
        for (String f : new String[] {"config.json", "model.safetensors", "vocab.json", "merges.txt"}) {
            Files.copy(TINY.resolve(f), dir.resolve(f));
        }
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        ((ObjectNode) config.get("text_config")).put(field, value);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    @Test
    void aWidthOrDepthTheWeightsCannotHoldIsRefusedBeforeAllocating() throws IOException {
        assertThatThrownBy(() -> HfCheckpoints.load(tinyWith("num_hidden_layers", 1_000_000), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs at least").hasMessageContaining("does not belong to these weights");
    }

    @Test
    void aHugeWidthIsRefusedToo() throws IOException {
        assertThatThrownBy(() -> HfCheckpoints.load(tinyWith("hidden_size", 8192), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs at least");
    }

    @Test
    void theTrueConfigStillLoads() throws IOException {
        assertThat(HfCheckpoints.load(TINY, true).model()).isNotNull();
    }
}
