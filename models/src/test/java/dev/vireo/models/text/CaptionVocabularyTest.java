package dev.vireo.models.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A vocabulary from captions: special tokens first, every character, frequent words up to the cap, the same list each time. */
class CaptionVocabularyTest {
    static final List<String> CAPTIONS = List.of("A red circle, left of a BLUE square.", "a red square", "a circle");

    @Test
    void specialsThenCharactersThenWordsByFrequency() {
        List<String> v = CaptionVocabulary.build(CAPTIONS, 1000);
        assertThat(v.subList(0, 5)).containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
        assertThat(v).contains("r", "##r", ",", "##.", "blue", "square").doesNotContain("BLUE");
        int a = v.indexOf("a"), circle = v.indexOf("circle"), blue = v.indexOf("blue");
        assertThat(v.lastIndexOf("a")).isEqualTo(a); // a word that is also a character appears once
        assertThat(circle).isLessThan(blue);           // twice before once
        assertThat(CaptionVocabulary.build(CAPTIONS, 1000)).isEqualTo(v);
    }

    @Test
    void theCapKeepsTheMostFrequentWordsAndEveryWordStillTokenizes() throws Exception {
        List<String> all = CaptionVocabulary.build(CAPTIONS, 1000);
        // six words are not single characters: circle, red, square (twice each), blue, left, of; keep room for two
        List<String> capped = CaptionVocabulary.build(CAPTIONS, all.size() - 4);
        assertThat(capped).hasSize(all.size() - 4).contains("circle", "red").doesNotContain("square", "blue");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("vocab", ".txt");
        java.nio.file.Files.writeString(file, String.join("\n", capped) + "\n");
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocabTxt(file, true);
        assertThat(tokenizer.decode(tokenizer.tokenize("a blue square"))).isEqualTo("a blue square"); // spelt out in ## pieces
        assertThatThrownBy(() -> CaptionVocabulary.build(CAPTIONS, 10)).hasMessageContaining("distinct characters");
    }
}
