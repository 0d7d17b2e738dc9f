package dev.vireo.models.eval;

import dev.vireo.models.text.PythonWhitespace;
import it.unimi.dsi.fastutil.objects.Object2IntLinkedOpenHashMap;

import java.util.List;

/**
 * The n-gram counts of a tokenised caption, as the COCO scorers' {@code precook} makes them: words
 * are {@code s.split()} (Python whitespace), n-grams of 1 to {@code maxOrder} words are counted, and
 * each is keyed by its words joined with one space (unambiguous, as a word holds no whitespace; the
 * number of spaces gives the order).
 */
final class NGramCounts {
    private NGramCounts() {}

    /** The words of a caption and its n-gram counts. */
    record Cooked(int length, Object2IntLinkedOpenHashMap<String> counts) {
        /** The order (1..4) of an n-gram key. */
        static int order(String ngram) {
            int order = 1;
            for (int i = 0; i < ngram.length(); i++) if (ngram.charAt(i) == ' ') order++;
            return order;
        }
    }

    static Cooked cook(String caption, int maxOrder) {
        List<String> words = PythonWhitespace.split(caption);
        Object2IntLinkedOpenHashMap<String> counts = new Object2IntLinkedOpenHashMap<>();
        StringBuilder key = new StringBuilder();
        for (int n = 1; n <= maxOrder; n++) {
            for (int i = 0; i + n <= words.size(); i++) {
                key.setLength(0);
                for (int j = i; j < i + n; j++) {
                    if (j > i) key.append(' ');
                    key.append(words.get(j));
                }
                counts.addTo(key.toString(), 1);
            }
        }
        return new Cooked(words.size(), counts);
    }
}
