package dev.vireo.models.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A WordPiece vocabulary built from a caption corpus, for a text tower trained from scratch: the
 * special tokens first ([PAD] is id 0), then every character seen, alone and as a {@code ##}
 * continuation (so that no word of the corpus, and few others, become [UNK]), then as many of the
 * most frequent words as BERT's uncased normaliser and pre-tokenizer split them as fit in
 * {@code maxTokens} (ties in alphabetical order). The same captions give the same list on every run.
 */
public final class CaptionVocabulary {
    /** The special tokens, in id order. */
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private CaptionVocabulary() {}

    /** The vocabulary of {@code captions}, at most {@code maxTokens} long, special tokens first. */
    public static List<String> build(Iterable<String> captions, int maxTokens) {
        Map<String, Integer> counts = new HashMap<>();
        TreeSet<String> characters = new TreeSet<>();
        for (String caption : captions) {
            BertPreTokenizer.split(BertNormalizer.UNCASED.normalize(caption), word -> {
                counts.merge(word, 1, Integer::sum);
                word.codePoints().forEach(cp -> characters.add(Character.toString(cp)));
            });
        }
        List<Map.Entry<String, Integer>> words = new ArrayList<>(counts.entrySet());
        words.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Integer.compare(b.getValue(), a.getValue()));
        LinkedHashSet<String> tokens = new LinkedHashSet<>(SPECIALS);
        tokens.addAll(characters);
        for (String c : characters) tokens.add("##" + c);
        if (tokens.size() > maxTokens) {
            throw new IllegalArgumentException("caption vocabulary: the captions hold " + characters.size() + " distinct characters,"
                    + " which with the special tokens need " + tokens.size() + " tokens, more than the " + maxTokens + " allowed");
        }
        for (int i = 0; i < words.size() && tokens.size() < maxTokens; i++) tokens.add(words.get(i).getKey());
        return List.copyOf(tokens);
    }
}
