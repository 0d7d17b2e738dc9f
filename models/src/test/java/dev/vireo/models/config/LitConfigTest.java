package dev.vireo.models.config;

import org.junit.jupiter.api.Test;

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
}
