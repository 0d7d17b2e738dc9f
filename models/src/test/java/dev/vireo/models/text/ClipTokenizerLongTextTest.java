/*
 * Long texts through the CLIP tokenizer: the heap-driven BPE gives the ids of the reference rounds
 * (on the real vocabulary and on merges in arbitrary order), encoding to a context length stops at
 * the words that fill it with the ids of the whole-text path, and inputs that took minutes complete.
 */
package dev.vireo.models.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ClipTokenizerLongTextTest {

    private final ClipTokenizer tok = ClipTokenizer.openai();

    @Test
    void heapMergeEqualsRoundsOnTheRealVocabulary() {
        BytePairEncoding bpe = tok.bpe();
        Random r = new Random(23);
        for (int trial = 0; trial < 400; trial++) {
            String word = randomWord(r, 1 + r.nextInt(trial < 200 ? 80 : 3000));
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            assertThat(bpe.mergeWithHeap(bytes)).as(word).containsExactly(bpe.mergeByRounds(bytes));
        }
        for (String word : List.of("a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "abababababababababababababababababababababababababababababababababababa",
                "supercalifragilisticexpialidocioussupercalifragilisticexpialidocioussupercalifragilistic")) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            assertThat(bpe.mergeWithHeap(bytes)).as(word).containsExactly(bpe.mergeByRounds(bytes));
        }
    }

    @Test
    void heapMergeEqualsRoundsWhateverTheOrderOfTheMerges() {
        Random r = new Random(6);
        for (int vocab = 0; vocab < 20; vocab++) {
            // merges over a, b, c built up from their parts, then ranked in a shuffled order
            List<String> symbols = new ArrayList<>(List.of("a", "b", "c", "a</w>", "b</w>", "c</w>"));
            List<String[]> merges = new ArrayList<>();
            java.util.Set<String> made = new java.util.HashSet<>(symbols);
            while (merges.size() < 40) {
                String left = symbols.get(r.nextInt(symbols.size()));
                String right = symbols.get(r.nextInt(symbols.size()));
                if (left.endsWith("</w>") || !made.add(left + right)) continue;
                merges.add(new String[] {left, right});
                symbols.add(left + right);
            }
            java.util.Collections.shuffle(merges, r);
            List<String> tokens = new ArrayList<>();
            for (int b = 0; b < 256; b++) tokens.add(String.valueOf(ByteLevel.charOf(ByteLevel.byteAt(b))));
            for (int b = 0; b < 256; b++) tokens.add(ByteLevel.charOf(ByteLevel.byteAt(b)) + BytePairEncoding.END_OF_WORD);
            for (String[] m : merges) tokens.add(m[0] + m[1]);
            BytePairEncoding bpe = new BytePairEncoding(tokens.toArray(String[]::new), merges, 0);
            for (int trial = 0; trial < 200; trial++) {
                char[] word = new char[1 + r.nextInt(trial < 100 ? 20 : 400)];
                for (int i = 0; i < word.length; i++) word[i] = "abc".charAt(r.nextInt(3));
                byte[] bytes = new String(word).getBytes(StandardCharsets.UTF_8);
                assertThat(bpe.mergeWithHeap(bytes)).as(new String(word)).containsExactly(bpe.mergeByRounds(bytes));
            }
        }
    }

    @Test
    void encodingToAContextLengthEqualsTruncatingTheWholeText() {
        Random r = new Random(4);
        List<String> texts = new ArrayList<>();
        texts.add(randomWord(r, 20_000));
        texts.add("a".repeat(20_000));
        StringBuilder words = new StringBuilder();
        while (words.length() < 20_000) words.append(randomWord(r, 1 + r.nextInt(12))).append(r.nextInt(5) == 0 ? ", " : " ");
        texts.add(words.toString());
        texts.add("<|startoftext|>" + "cat ".repeat(74) + "<|endoftext|> dog dog");
        for (int n = 70; n <= 80; n++) texts.add("a photo of" + " cat".repeat(n - 3));  // around the 75 that fit
        for (String text : texts) {
            int[] whole = tok.encode(text);
            for (int context : new int[] {2, 3, 16, 76, 77, 78, 200}) {
                int[] expected = truncated(whole, context, tok.endId(), tok.padId());
                assertThat(tok.encode(text, context)).containsExactly(expected);
                TokenBatch batch = tok.batch(List.of(text), context);
                assertThat(batch.row(0)).containsExactly(expected);
                assertThat(batch.lengths()[0]).isEqualTo(Math.min(whole.length, context));
            }
        }
    }

    @Test
    void inputsThatTookMinutesComplete() {
        Random r = new Random(2);
        String twoMegabyteWord = randomWord(r, 2_000_000);
        int[] ids = tok.encode(twoMegabyteWord, ClipTokenizer.CONTEXT_LENGTH);
        assertThat(ids).hasSize(ClipTokenizer.CONTEXT_LENGTH);
        assertThat(ids[ClipTokenizer.CONTEXT_LENGTH - 1]).isEqualTo(tok.endId());
        assertThat(tok.tokenize(twoMegabyteWord).length).isGreaterThan(ClipTokenizer.CONTEXT_LENGTH);

        String letters = randomWord(r, 100_000);
        assertThat(tok.encode(letters, ClipTokenizer.CONTEXT_LENGTH)).startsWith(tok.startId());
        StringBuilder many = new StringBuilder();
        while (many.length() < 2_000_000) many.append(randomWord(r, 1 + r.nextInt(9))).append(' ');
        assertThat(tok.encode(many.toString(), ClipTokenizer.CONTEXT_LENGTH)).hasSize(ClipTokenizer.CONTEXT_LENGTH);
    }

    /** Lower-case ASCII letters, now and then an accented or CJK letter: one pre-token. */
    private static String randomWord(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int k = r.nextInt(40);
            sb.append(k < 37 ? (char) ('a' + k % 26) : k == 37 ? 'é' : k == 38 ? 'ß' : (char) (0x4e00 + r.nextInt(200)));
        }
        return sb.toString();
    }

    /** What encode(text, context) gave before it stopped early: the whole encoding cut or padded. */
    private static int[] truncated(int[] whole, int context, int endId, int padId) {
        int[] ids = Arrays.copyOf(whole, context);
        if (whole.length > context) {
            ids[context - 1] = endId;
        } else {
            Arrays.fill(ids, whole.length, context, padId);
        }
        return ids;
    }
}
