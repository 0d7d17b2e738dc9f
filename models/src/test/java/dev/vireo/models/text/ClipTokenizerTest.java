/*
 * ClipTokenizer on the bundled OpenAI vocabulary: the encodings DATA.md lists, the vocabulary's
 * shape, fixed-length truncation and padding, batches, decoding, the Hugging Face file format
 * (written here from the same merges) and the cache giving the same ids as no cache.
 */
package dev.vireo.models.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClipTokenizerTest {

    private final ClipTokenizer tok = ClipTokenizer.openai();

    @Test
    void knownEncodings() {
        assertThat(tok.encode("a photo of a cat")).containsExactly(49406, 320, 1125, 539, 320, 2368, 49407);
        assertThat(tok.encode("a rocket standing on a launchpad"))
                .containsExactly(49406, 320, 8383, 2862, 525, 320, 31168, 7601, 49407);
        assertThat(tok.encode("Hello, World! It's 2024."))
                .containsExactly(49406, 3306, 267, 1002, 256, 585, 568, 273, 271, 273, 275, 269, 49407);
    }

    @Test
    void vocabularyShape() {
        assertThat(tok.vocabSize()).isEqualTo(49408);
        assertThat(tok.startId()).isEqualTo(49406);
        assertThat(tok.endId()).isEqualTo(49407);
        assertThat(tok.padId()).isZero();
        assertThat(tok.id("a</w>")).isEqualTo(320);
        assertThat(tok.id("photo</w>")).isEqualTo(1125);
        assertThat(tok.id("dog</w>")).isEqualTo(1929);
        assertThat(tok.token(0)).isEqualTo("!");
        assertThat(tok.id("no such token")).isEqualTo(-1);
    }

    @Test
    void fixedLengthPadsWithThePadId() {
        int[] row = tok.encode("a photo of a cat", ClipTokenizer.CONTEXT_LENGTH);
        assertThat(row).hasSize(77);
        assertThat(row).startsWith(49406, 320, 1125, 539, 320, 2368, 49407);
        assertThat(Arrays.copyOfRange(row, 7, 77)).containsOnly(0);
        int[] eotPadded = tok.withPadId(49407).encode("a photo of a cat", 10);
        assertThat(eotPadded).containsExactly(49406, 320, 1125, 539, 320, 2368, 49407, 49407, 49407, 49407);
        assertThat(tok.withPadId(49407).padId()).isEqualTo(49407);
        assertThat(tok.padId()).as("withPadId returns a copy").isZero();
    }

    @Test
    void truncationKeepsTheEndTokenLast() {
        String text = "a dog ".repeat(60);
        int[] full = tok.encode(text);
        assertThat(full).hasSize(122);
        int[] row = tok.encode(text, 77);
        assertThat(row).hasSize(77);
        assertThat(row[76]).isEqualTo(49407);
        assertThat(Arrays.copyOf(row, 76)).containsExactly(Arrays.copyOf(full, 76));
        assertThat(tok.encode("a photo of a cat", 7)).containsExactly(49406, 320, 1125, 539, 320, 2368, 49407);
        assertThat(tok.encode("a photo of a cat", 6)).containsExactly(49406, 320, 1125, 539, 320, 49407);
        assertThat(tok.encode("", 2)).containsExactly(49406, 49407);
        assertThatThrownBy(() -> tok.encode("x", 1)).hasMessageContaining("contextLength 1");
    }

    @Test
    void batchesAgreeWithSingleEncodings() {
        List<String> texts = List.of("a photo of a cat", "a rocket standing on a launchpad", "", "a dog ".repeat(60));
        int[][] rows = tok.encodeBatch(texts, 77);
        TokenBatch batch = tok.batch(texts, 77);
        assertThat(batch.batch()).isEqualTo(4);
        assertThat(batch.length()).isEqualTo(77);
        for (int b = 0; b < texts.size(); b++) {
            assertThat(rows[b]).containsExactly(tok.encode(texts.get(b), 77));
            assertThat(batch.row(b)).containsExactly(rows[b]);
        }
        assertThat(batch.toArrays()).isDeepEqualTo(rows);
        assertThat(batch.lengths()).containsExactly(7, 9, 2, 77);
        for (int b = 0; b < texts.size(); b++) {
            assertThat(batch.ids()[b * 77 + batch.lengths()[b] - 1]).as("end token at length - 1").isEqualTo(49407);
            for (int t = 0; t < 77; t++) {
                assertThat(batch.attentionMask()[b * 77 + t]).isEqualTo(t < batch.lengths()[b] ? 1 : 0);
            }
        }
        assertThat(batch.typeIds()).containsOnly(0);
    }

    @Test
    void decodesBackToTheNormalisedText() {
        int[] ids = tok.encode("Hello, World!  It's café 😀 &amp; 猫");
        assertThat(tok.decode(ids)).isEqualTo("<|startoftext|>hello , world ! it 's café 😀 & 猫 <|endoftext|>");
        assertThat(tok.decodeText(tok.encode("A Photo of a CAT", 77))).isEqualTo("a photo of a cat");
        assertThat(tok.decode(new int[] {tok.id("\u00e2"), tok.id("\u0142</w>")}))
                .as("a cut UTF-8 sequence decodes to U+FFFD, as errors='replace' does").isEqualTo("\ufffd ");
    }

    @Test
    void specialTokenTextIsOneToken() {
        assertThat(tok.encode("hello<|endoftext|>world")).containsExactly(49406, 3306, 49407, 1002, 49407);
    }

    @Test
    void cacheDoesNotChangeIds() throws IOException {
        ClipTokenizer uncached;
        try (InputStream in = ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz")) {
            uncached = ClipTokenizer.fromOpenAiVocab(in, 0);
        }
        for (String text : List.of("a photo of a cat", "antidisestablishmentarianism", "naïve café 😀 猫", "a a a a a")) {
            assertThat(uncached.encode(text)).containsExactly(tok.encode(text)).containsExactly(tok.encode(text));
        }
    }

    @Test
    void concurrentUseGivesTheSameIds() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            texts.add("caption " + i + ": a photo of " + (i % 7) + " dogs and " + Integer.toString(i * 7919, 36) + " cats");
        }
        int[][] sequential = texts.stream().map(tok::encode).toArray(int[][]::new);
        int[][] parallel = texts.parallelStream().map(tok::encode).toArray(int[][]::new);
        assertThat(parallel).isDeepEqualTo(sequential);
    }

    @Test
    void huggingFaceFilesGiveTheSameIds(@TempDir Path dir) throws IOException {
        // write vocab.json + merges.txt the way Hugging Face derived them from OpenAI's file
        ObjectNode vocab = new ObjectMapper().createObjectNode();
        for (int id = 0; id < tok.vocabSize(); id++) {
            vocab.put(tok.token(id), id);
        }
        Path vocabJson = dir.resolve("vocab.json");
        new ObjectMapper().writeValue(vocabJson.toFile(), vocab);
        List<String> merges = new ArrayList<>();
        merges.add("#version: 0.2");
        String[] lines;
        try (InputStream in = new GZIPInputStream(
                ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz"))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        merges.addAll(List.of(lines).subList(1, 1 + ClipTokenizer.OPENAI_MERGES));
        Path mergesTxt = dir.resolve("merges.txt");
        Files.write(mergesTxt, merges, StandardCharsets.UTF_8);

        ClipTokenizer hf = ClipTokenizer.fromHuggingFace(vocabJson, mergesTxt);
        assertThat(hf.vocabSize()).isEqualTo(49408);
        for (String text : List.of("a photo of a cat", "Hello, World! It's 2024.", "naïve café 😀 猫 &lt;3")) {
            assertThat(hf.encode(text)).containsExactly(tok.encode(text));
        }
    }

    @Test
    void plainTextVocabularyFileLoadsLikeTheGzip(@TempDir Path dir) throws IOException {
        Path txt = dir.resolve("bpe_simple_vocab_16e6.txt");
        try (InputStream in = new GZIPInputStream(
                ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz"))) {
            Files.write(txt, in.readAllBytes());
        }
        assertThat(ClipTokenizer.fromOpenAiVocab(txt).encode("a photo of a dog")).containsExactly(tok.encode("a photo of a dog"));
    }

    /** A cut-down Hugging Face vocabulary: the 512 byte symbols, one merge ("c at</w>"), the two special tokens. */
    private static ObjectNode smallVocab() {
        ObjectNode vocab = new ObjectMapper().createObjectNode();
        for (int i = 0; i < 256; i++) vocab.put(String.valueOf(ByteLevel.charOf(ByteLevel.byteAt(i))), i);
        for (int i = 0; i < 256; i++) vocab.put(ByteLevel.charOf(ByteLevel.byteAt(i)) + "</w>", 256 + i);
        vocab.put("at</w>", 512).put("cat</w>", 513).put("<|startoftext|>", 514).put("<|endoftext|>", 515);
        return vocab;
    }

    /** Damaged vocab.json / merges.txt ('bench fuzz', #23): one line saying which file and what is wrong. */
    @Test
    void damagedHuggingFaceFilesAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path vocab = dir.resolve("vocab.json"), merges = dir.resolve("merges.txt");
        String goodVocab = smallVocab().toString(), goodMerges = "#version: 0.2\na t</w>\nc at</w>\n";
        Files.writeString(vocab, goodVocab);
        Files.writeString(merges, goodMerges);
        assertThat(ClipTokenizer.fromHuggingFace(vocab, merges).encode("cat")).containsExactly(514, 513, 515);

        // not JSON: UncheckedIOException "cannot read vocab.json / merges.txt" before, the reason only in its cause
        Files.writeString(vocab, goodVocab.substring(0, 100));
        assertOneLine(vocab, merges, "vocab.json is not valid JSON: Unexpected end-of-input");
        // bytes Jackson takes for UTF-32 that are not: CharConversionException, the same way
        Files.write(vocab, new byte[] {0, 0, 0, '{', 0x7f, 0x7f, 0x7f, 0x7f});
        assertOneLine(vocab, merges, "vocab.json is not valid JSON: Invalid UTF-32 character");
        // an array: its nulls were taken for tokens ("token 'null' appears twice")
        Files.writeString(vocab, "[1, 2]");
        assertOneLine(vocab, merges, "vocab.json is not a JSON object of token → id");
        // a token quoting a newline
        ObjectNode bad = smallVocab();
        bad.put("new\nline", 9999);
        Files.writeString(vocab, bad.toString());
        assertOneLine(vocab, merges, "gives 'new\\nline' id 9999, not a free id");
        Files.writeString(vocab, goodVocab);

        // merges.txt that is not UTF-8: "cannot read" before
        Files.write(merges, new byte[] {'#', 'v', '\n', (byte) 0xff, ' ', 'a', '\n'});
        assertOneLine(vocab, merges, "merges.txt is not UTF-8 text");
        Files.writeString(merges, "#version: 0.2\n" + "x".repeat(100_000) + "\n");
        assertOneLine(vocab, merges, "merges line 2 is not two symbols: '" + "x".repeat(60) + "...'");
        Files.writeString(merges, "#version: 0.2\nc\u0000 at</w>\n");
        assertOneLine(vocab, merges, "merge 0 left part 'c\\u0000' is not in the vocabulary");
    }

    private static void assertOneLine(Path vocab, Path merges, String message) {
        assertThatThrownBy(() -> ClipTokenizer.fromHuggingFace(vocab, merges)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400));
    }

    @Test
    void anOpenAiFileThatInflatesPast64MbIsRefusedBeforeItIsRead() throws IOException {
        // a gzip bomb: 65 MB of '#' in 64 KB; readAllBytes would have held all of it (or a gigabyte, given one)
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(packed)) {
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) '#');
            for (int i = 0; i < 65; i++) gz.write(chunk);
        }
        assertThat(packed.size()).isLessThan(1 << 20);
        assertThatThrownBy(() -> ClipTokenizer.fromOpenAiVocab(new java.io.ByteArrayInputStream(packed.toByteArray()), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ClipTokenizer: an OpenAI merges file is about 1.4 MB; this one has more than 67108864 bytes once decompressed");
    }

    @Test
    void rejectsAFileThatIsNotAMergesFile(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "hello\nworld\n");
        assertThatThrownBy(() -> ClipTokenizer.fromOpenAiVocab(bad)).hasMessageContaining("#version").hasMessageContaining("3 lines");
    }
}
