package dev.vireo.models.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LitConfigTest {
    @Test
    void theBuiltInConfigLoadsAndBadOnesSayWhy() {
        LitConfig lit = LitConfig.create("lit-minilm");
        assertThat(lit.textWidth()).isEqualTo(384);
        assertThat(LitConfig.list()).contains("lit-minilm");
        assertThat(LitConfig.isName("lit-minilm")).isTrue();
        assertThat(ClipConfig.list()).doesNotContain("lit-minilm");
        assertThatThrownBy(() -> new LitConfig("x", 400, lit.vision(), "t", 384, 0.1)).hasMessageContaining("embedDim 400 exceeds textWidth 384");
        assertThatThrownBy(() -> LitConfig.create("nope")).hasMessageContaining("known: [lit-minilm]");
    }

    /** What 'bench fuzz' (#23) found: Jackson's message (two lines, with a source excerpt) quoted whole, and a JSON null read as a null config. */
    @Test
    void damagedFilesAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("lit.json"), LitConfig.create("lit-minilm").toJson().replace("\"embedDim\" : 384,", "\"embedDim\" : 384"));
        assertThatThrownBy(() -> LitConfig.fromJson(file)).hasMessageContaining("lit.json: Unexpected character")
                .hasMessageContaining("line 4 column").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Files.writeString(file, "null");
        assertThatThrownBy(() -> LitConfig.fromJson(file)).hasMessageEndingWith("lit.json: the JSON is null, not a config");
    }
}
