package dev.vireo.models.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The built-in CoCa config and the one-line refusals of bad ones. */
class CocaConfigTest {
    @TempDir
    Path dir;

    @Test
    void cocaMiniIsBuiltIn() {
        CocaConfig c = CocaConfig.resolve("coca-mini");
        assertThat(c.vision().imageSize()).isEqualTo(48);
        assertThat(c.unimodalLayers()).isEqualTo(2);
        assertThat(c.multimodalLayers()).isEqualTo(2);
        assertThat(c.captionQueries()).isEqualTo(16);
        assertThat(CocaConfig.fromJson(write(c.toJson()))).isEqualTo(c);
        assertThat(c.withVocabSize(99).text().vocabSize()).isEqualTo(99);
    }

    @Test
    void badFieldsAreRefusedOnOneLine() {
        CocaConfig c = CocaConfig.resolve("coca-mini");
        String json = c.toJson().replaceAll("\\s+", ""); // compact, so a field can be replaced by its text
        assertOneLine(json.replace("\"unimodalLayers\":2", "\"unimodalLayers\":4"), "leaves no multimodal layer");
        assertOneLine(json.replace("\"unimodalLayers\":2", "\"unimodalLayers\":0"), "unimodalLayers must be positive");
        assertOneLine(json.replace("\"captionQueries\":16", "\"captionQueries\":-1"), "captionQueries must be positive");
        assertOneLine(json.replace("\"poolerHeads\":2", "\"poolerHeads\":3"), "not a multiple of poolerHeads 3");
        assertOneLine(json.replace(",\"embedDim\":64", ""), "embedDim must be positive");
        assertOneLine(json.replace("\"typeVocabSize\":0", "\"typeVocabSize\":2"), "no token types");
        assertOneLine(json.replace("\"name\":\"coca-mini\"", "\"name\":\"coca-mini\",\"fusion\":1"), "fusion");
        assertOneLine("[1, 2", "coca config");
        assertThatThrownBy(() -> CocaConfig.resolve("coca-huge")).hasMessageContaining("unknown coca config 'coca-huge'");
    }

    private void assertOneLine(String json, String part) {
        assertThatThrownBy(() -> CocaConfig.fromJson(write(json))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(part).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Path write(String json) {
        try {
            Path p = Files.createTempFile(dir, "coca", ".json");
            Files.writeString(p, json);
            return p;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
