/*
 * WordPieceTokenizer on the small tokenizer.json fixture (about 300 tokens, written by
 * make_wordpiece_golden.py): hand-checked behaviour, then every golden id of the Python
 * reference on that fixture. Runs always; the real all-MiniLM vocabulary is WordPieceTokenizerParityTest.
 */
package dev.vireo.models.text;

import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WordPieceTokenizerTest {

    private static WordPieceTokenizer tok;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Files.newInputStream(Fixtures.path(WordPieceTokenizerTest.class, "/text/wordpiece_fixture_tokenizer.json"))) {
            tok = WordPieceTokenizer.fromTokenizerJson(in, "wordpiece_fixture_tokenizer.json");
        }
    }

    private static int id(String token) {
        for (int i = 0; i < tok.vocabSize(); i++) {
            if (tok.token(i).equals(token)) {
                return i;
            }
        }
        throw new AssertionError("fixture has no token " + token);
    }

    @Test
    void readsSpecialIdsAndSettings() {
        assertThat(tok.padId()).isZero();
        assertThat(tok.unkId()).isEqualTo(1);
        assertThat(tok.clsId()).isEqualTo(2);
        assertThat(tok.sepId()).isEqualTo(3);
        assertThat(tok.maskId()).isEqualTo(4);
        assertThat(tok.maxLength()).isEqualTo(16);
        assertThat(tok.vocabSize()).isBetween(200, 400);
    }

    @Test
    void normalisesSplitsAndMatchesLongestPieces() {
        assertThat(tok.encode("Hello, World!").ids()).containsExactly(2, id("hello"), id(","), id("world"), id("!"), 3);
        assertThat(tok.tokenize("unaffable")).containsExactly(id("un"), id("##aff"), id("##able"));
        assertThat(tok.tokenize("Café NAÏVE")).as("accents stripped, lower-cased").containsExactly(id("cafe"), id("naive"));
        assertThat(tok.tokenize("猫狗")).as("CJK ideographs split apart").containsExactly(id("猫"), id("狗"));
        assertThat(tok.tokenize("qqq\u00e9!")).containsExactly(id("q"), id("##q"), id("##q"), id("##e"), id("!"));
        assertThat(tok.tokenize("zebra€")).as("an uncovered word is one [UNK]; € is not punctuation")
                .containsExactly(1);
    }

    @Test
    void overlongWordIsUnknown() {
        assertThat(tok.tokenize("a".repeat(100))).hasSize(100);
        assertThat(tok.tokenize("a".repeat(101))).containsExactly(1);
    }

    @Test
    void specialTokenTextIsMatchedBeforeNormalisation() {
        assertThat(tok.tokenize("the [MASK] cat")).containsExactly(id("the"), 4, id("cat"));
        assertThat(tok.tokenize("the [mask] cat")).containsExactly(id("the"), id("["), id("m"), id("##a"), id("##s"),
                id("##k"), id("]"), id("cat"));
    }

    @Test
    void pairsTruncateLongestFirstAndMarkSegments() {
        Encoding e = tok.encodePair("one two three", "cat", 6);
        assertThat(e.ids()).containsExactly(2, id("one"), id("two"), 3, id("cat"), 3);
        assertThat(e.typeIds()).containsExactly(0, 0, 0, 0, 1, 1);
        Encoding even = tok.encodePair("a b c d e f g h", "a b c d e f g h", 10);
        assertThat(even.typeIds()).as("7 places: 3 + 4, the extra one to the second").containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
        Encoding padded = tok.encodePair("a", "b", 8);
        assertThat(padded.ids()).containsExactly(2, id("a"), 3, id("b"), 3, 0, 0, 0);
        assertThat(padded.attentionMask()).containsExactly(1, 1, 1, 1, 1, 0, 0, 0);
        assertThat(padded.typeIds()).containsExactly(0, 0, 0, 1, 1, 0, 0, 0);
        assertThatThrownBy(() -> tok.encodePair("a", "b", 2)).hasMessageContaining("length 2");
    }

    @Test
    void batchesPadToMaxOrToLongest() {
        List<String> texts = List.of("a photo of a cat", "a dog", "the cat ".repeat(20));
        TokenBatch fixed = tok.batch(texts, 16, false);
        assertThat(fixed.length()).isEqualTo(16);
        assertThat(fixed.lengths()).containsExactly(7, 4, 16);
        assertThat(fixed.row(1)).containsExactly(tok.encode("a dog", 16).ids());
        TokenBatch longest = tok.batch(List.of("a photo of a cat", "a dog"), 16, true);
        assertThat(longest.length()).isEqualTo(7);
        assertThat(longest.row(1)).containsExactly(2, id("a"), id("dog"), 3, 0, 0, 0);
        assertThat(longest.attentionMask()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0);
    }

    @Test
    void decodesWithoutSpecialTokensAndCleansUpSpaces() {
        assertThat(tok.decode(tok.encode("Hello, world! It's a test.", 16).ids())).isEqualTo("hello, world! it's a test.");
        assertThat(tok.decode(tok.tokenize("tokenization"))).isEqualTo("tokenization");
    }

    @Test
    void rejectsOtherPipelines() {
        String json = "{\"normalizer\":{\"type\":\"NFC\"},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},\"model\":{}}";
        assertThatThrownBy(() -> WordPieceTokenizer.fromTokenizerJson(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "other.json"))
                .hasMessageContaining("other.json").hasMessageContaining("'NFC'").hasMessageContaining("BertNormalizer");
    }

    @Test
    void matchesThePythonReferenceOnTheFixture() throws IOException {
        assertThat(WordPieceGolden.checkAll(tok, WordPieceGolden.read("/text/wordpiece_fixture_golden.json"))).isGreaterThan(400);
    }

    /** The same texts and pairs through Hugging Face's own tokenizers package (hf/make_transformers_references.py). */
    @Test
    void matchesTheTokenizersPackageOnTheFixture() throws IOException {
        assertThat(WordPieceGolden.checkAll(tok, WordPieceGolden.read("/text/wordpiece_fixture_tokenizers_golden.json"))).isGreaterThan(400);
    }
}
