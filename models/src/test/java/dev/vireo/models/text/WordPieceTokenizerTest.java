/*
 * WordPieceTokenizer on the small tokenizer.json fixture (about 300 tokens, written by
 * make_wordpiece_golden.py): hand-checked behaviour, then every golden id of the Python
 * reference on that fixture. Runs always; the real all-MiniLM vocabulary is WordPieceTokenizerParityTest.
 */
package dev.vireo.models.text;

import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Damaged tokenizer.json files ('bench fuzz', #23): each is one line naming the file and what is wrong, never another exception. */
    @Test
    void damagedFilesAreOneLineErrors() throws IOException {
        String good = Files.readString(Fixtures.path(WordPieceTokenizerTest.class, "/text/wordpiece_fixture_tokenizer.json"));
        // a special token with empty content: StringIndexOutOfBoundsException before
        assertRejected(good.replace("\"content\": \"[PAD]\"", "\"content\": \"\""), "a special token (id 0) with no content");
        // not JSON: Jackson's two-line exception escaped from the stream variant before
        assertRejected(good.substring(0, 200), "bad.json is not valid JSON: Unexpected end-of-input");
        assertRejected("{\"a\": \u0001}", "bad.json is not valid JSON: Illegal character ((CTRL-CHAR, code 1)): only regular white space (\\r, \\n, \\t) is allowed between tokens, line 1 column 8");
        // numbers that are not ints were read as something else: 1e400 as 2147483647 (a row of 2^31 ids), 3.5 as 3
        assertRejected(good.replace("\"max_length\": 16", "\"max_length\": 1e400"), "truncation.max_length \"Infinity\", not an integer");
        assertRejected(good.replace("\"max_length\": 16", "\"max_length\": 1"), "max_length 1, which leaves no room for [CLS] and [SEP]");
        // a pad id past the vocabulary: ArrayIndexOutOfBoundsException when a padded row was decoded
        assertRejected(good.replace("\"pad_id\": 0", "\"pad_id\": 999"), "padding.pad_id 999, not an id in 0..");
        assertRejected(good.replace("\"vocab\": {", "\"vocab\": [1], \"x\": {"), "has no model.vocab object");
        assertRejected("[]", "bad.json is not a JSON object");
        // a quoted token keeps the message on one line
        assertRejected(good.replace("\"[MASK]\": 4,", "\"[MA\\nSK]\": 4000,"), "gives '[MA\\nSK]' id 4000, not a free id");
    }

    /** BLIP's tokenizer.json adds [DEC] and [ENC] after the WordPiece vocabulary, in added_tokens only. */
    @Test
    void specialTokensAddedPastTheVocabularyTakeTheNextIds() throws IOException {
        String good = Files.readString(Fixtures.path(WordPieceTokenizerTest.class, "/text/wordpiece_fixture_tokenizer.json"));
        int n = tok.vocabSize();
        String added = "\"added_tokens\": [{\"id\": " + (n + 1) + ", \"content\": \"[ENC]\", \"special\": true},"
                + " {\"id\": " + n + ", \"content\": \"[DEC]\", \"special\": true},";
        WordPieceTokenizer blip = WordPieceTokenizer.fromTokenizerJson(
                new ByteArrayInputStream(good.replace("\"added_tokens\": [", added).getBytes(StandardCharsets.UTF_8)), "blip.json");
        assertThat(blip.vocabSize()).isEqualTo(n + 2);
        assertThat(blip.token(n)).isEqualTo("[DEC]");
        assertThat(blip.encode("[ENC]hello [DEC]").ids()).containsExactly(2, n + 1, id("hello"), n, 3);
        assertThat(blip.decode(new int[] {n + 1, id("hello")})).isEqualTo("hello");
        assertRejected(good.replace("\"added_tokens\": [", "\"added_tokens\": [{\"id\": " + (n + 5) + ", \"content\": \"[ENC]\", \"special\": true},"),
                "gives the added token '[ENC]' id " + (n + 5) + ", not the next free id " + n);
        assertRejected(good.replace("\"added_tokens\": [", "\"added_tokens\": [{\"id\": 7, \"content\": \"[MASK]\", \"special\": true},"),
                "gives the added token '[MASK]' id 7 but the vocabulary gives it 4");
    }

    @Test
    void aDamagedFileOnDiskSaysWhatIsWrongWithIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": {\"a\": 0,}}}");
        // before: UncheckedIOException "cannot read <file>", the reason only in its cause
        assertThatThrownBy(() -> WordPieceTokenizer.fromTokenizerJson(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer.json is not valid JSON: Unexpected character ('}' (code 125))").hasMessageContaining("line 1");
    }

    private static void assertRejected(String json, String message) {
        assertThatThrownBy(() -> WordPieceTokenizer.fromTokenizerJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "bad.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WordPieceTokenizer: ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
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
