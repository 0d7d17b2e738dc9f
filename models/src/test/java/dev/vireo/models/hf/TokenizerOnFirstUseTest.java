package dev.vireo.models.hf;

import dev.vireo.models.Clip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A folder's tokenizer is read when a text first needs it: images never pay for it, and a damaged one still fails in one line. */
class TokenizerOnFirstUseTest {
    private static final Path TINY = Path.of("src/test/resources/hf/tiny-clip");

    @TempDir
    Path dir;

    @Test
    void aDamagedVocabularyStopsTextsButNotImages() throws Exception {
        try (var files = Files.list(TINY)) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, ");
        try (Clip clip = Clip.load(dir)) {
            int side = clip.model().config().vision().imageSize();
            float[][] features = clip.encodePreprocessed(new float[3 * side * side], 1);
            assertThat(features).hasDimensions(1, clip.model().config().embedDim());
            assertThatThrownBy(() -> clip.encodeTexts(List.of("a photo")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("vocab.json").hasMessageContaining("not valid JSON")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void theTokenizerIsTheSameWhenReadLate() throws Exception {
        try (var eager = HfCheckpoints.load(TINY, true); Clip late = Clip.load(TINY)) {
            String text = "a diagram of two cats, 3 dogs & café";
            assertThat(late.tokenizer().encode(text, 16)).isEqualTo(eager.tokenizer().encode(text, 16));
            assertThat(late.tokenizer()).isSameAs(late.tokenizer());
        }
    }
}
