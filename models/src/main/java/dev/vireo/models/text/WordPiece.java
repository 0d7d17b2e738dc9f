/*
 * WordPiece (Wu et al. 2016, "Google's Neural Machine Translation System"), as Hugging Face's
 * models/wordpiece runs it: greedy longest match from the left, pieces after the first carry
 * the '##' prefix; a word with no full cover, or longer than maxInputCharsPerWord, is one [UNK].
 * A bounded word cache (emptied when full) keeps frequent words; it never changes the ids.
 */
package dev.vireo.models.text;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.concurrent.ConcurrentHashMap;

public final class WordPiece {

    /** Words kept before the cache is emptied. */
    private static final int CACHE_CAPACITY = 1 << 16;

    private final Object2IntOpenHashMap<String> vocab;
    private final int unkId;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /** @param vocab token → id, answering -1 for an absent token */
    public WordPiece(Object2IntOpenHashMap<String> vocab, int unkId, String prefix, int maxInputCharsPerWord) {
        if (vocab.defaultReturnValue() != -1) {
            throw new IllegalArgumentException("WordPiece: the vocabulary map must return -1 for absent tokens, it returns "
                    + vocab.defaultReturnValue());
        }
        this.vocab = vocab;
        this.unkId = unkId;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    /** Appends the ids of one pre-tokenised word to {@code out}; frequent words come from a bounded cache. */
    public void tokenize(String word, IntArrayList out) {
        int[] ids = cache.get(word);
        if (ids == null) {
            IntArrayList fresh = new IntArrayList(4);
            split(word, fresh);
            ids = fresh.toIntArray();
            if (cache.size() >= CACHE_CAPACITY) {
                cache.clear();
            }
            cache.put(word, ids);
        }
        out.addElements(out.size(), ids);
    }

    private void split(String word, IntArrayList out) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        int mark = out.size();
        int start = 0;
        int n = word.length();
        while (start < n) {
            int end = n;
            int found = -1;
            while (start < end) {
                String piece = start == 0 ? word.substring(0, end) : prefix + word.substring(start, end);
                found = vocab.getInt(piece);
                if (found >= 0) {
                    break;
                }
                end -= Character.charCount(word.codePointBefore(end));
            }
            if (found < 0) {
                out.size(mark);
                out.add(unkId);
                return;
            }
            out.add(found);
            start = end;
        }
    }
}
