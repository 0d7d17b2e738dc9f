package dev.vireo.models.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WordPieceTokenizer on the real all-MiniLM-L6-v2 tokenizer.json (30,522 tokens) against
 * minilm_golden.json. The tokenizer.json comes from the langchain4j jar that carries the model,
 * a test dependency of this module (without its transitive dependencies), so every build checks it.
 * Two references: our Python re-implementation of the pipeline (make_wordpiece_golden.py) and Hugging
 * Face's tokenizers package itself (hf/make_transformers_references.py).
 */
class WordPieceTokenizerParityTest {
    static final String ENTRY = "all-minilm-l6-v2-tokenizer.json";

    @Test
    void matchesBothReferencesOnTheRealVocabulary() throws IOException {
        WordPieceTokenizer tok;
        try (InputStream in = WordPieceTokenizerParityTest.class.getResourceAsStream("/" + ENTRY)) {
            assertThat(in).as("%s on the test class path (the langchain4j all-MiniLM jar, models/pom.xml)", ENTRY).isNotNull();
            tok = WordPieceTokenizer.fromTokenizerJson(in, ENTRY);
        }
        assertThat(tok.vocabSize()).isEqualTo(30522);
        assertThat(new int[] {tok.padId(), tok.unkId(), tok.clsId(), tok.sepId(), tok.maskId()})
                .containsExactly(0, 100, 101, 102, 103);
        assertThat(tok.maxLength()).isEqualTo(128);
        assertThat(tok.encode("Hello, World!").ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(WordPieceGolden.checkAll(tok, WordPieceGolden.read("/text/minilm_golden.json"))).isGreaterThan(400);
        assertThat(WordPieceGolden.checkAll(tok, WordPieceGolden.read("/text/minilm_tokenizers_golden.json"))).isGreaterThan(400);
    }
}
