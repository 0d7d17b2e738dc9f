package dev.vireo.models.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClipConfigTest {

    @Test
    void everyNamedConfigLoads() {
        for (String name : ClipConfig.list()) {
            ClipConfig c = ClipConfig.create(name);
            assertThat(c.name()).isEqualTo(name);
            assertThat(ClipConfig.fromJson(c.toJson())).isEqualTo(c);
        }
        ClipConfig b32 = ClipConfig.create("ViT-B-32");
        assertThat(b32.vision().tokens()).isEqualTo(50);
        assertThat(b32.text().contextLength()).isEqualTo(77);
        assertThat(b32.vision().activation()).isEqualTo("quick_gelu");
    }

    @Test
    void unknownNamesAndBadFieldsAreClearErrors() {
        assertThatThrownBy(() -> ClipConfig.create("ViT-Z-99")).hasMessageContaining("unknown model config 'ViT-Z-99'");
        String bad = ClipConfig.create("tiny").toJson().replace("\"patchSize\" : 8", "\"patchSize\" : 7");
        assertThatThrownBy(() -> ClipConfig.fromJson(bad)).hasMessageContaining("not a multiple of patchSize 7");
        String typo = ClipConfig.create("tiny").toJson().replace("\"layers\"", "\"layerz\"");
        assertThatThrownBy(() -> ClipConfig.fromJson(typo)).hasMessageContaining("Unrecognized field \"layerz\"");
    }

    /** What 'bench fuzz' (#23) found: a JSON null read as a null config, and an MLP ratio no model can be built with. */
    @Test
    void nullAndZeroWidthMlpAreErrors() {
        assertThatThrownBy(() -> ClipConfig.fromJson("null")).hasMessage("config JSON: the JSON is null, not a config");
        String noMlp = ClipConfig.create("tiny").toJson().replaceFirst("\"mlpRatio\" : 4.0", "\"mlpRatio\" : 0.0");
        assertThatThrownBy(() -> ClipConfig.fromJson(noMlp)).hasMessageContaining("vision.mlpRatio 0.0 gives width 64 an MLP of 0 units");
        assertThatThrownBy(() -> new TextConfig(16, 100, 8, 1, 1, Double.NaN, "gelu")).hasMessageContaining("text.mlpRatio NaN");
        assertThatThrownBy(() -> new ClipConfig("two\nlines", 0, ClipConfig.create("tiny").vision(), ClipConfig.create("tiny").text()))
                .hasMessage("two\\nlines.embedDim must be positive, got 0");
    }
}
