/*
 * Hugging Face's BertPreTokenizer: split on White_Space (dropped), then isolate every punctuation
 * character — ASCII punctuation (which includes $ + < = > ^ ` | ~) or a Unicode P* category.
 */
package dev.vireo.models.text;

import java.util.function.Consumer;

public final class BertPreTokenizer {

    private BertPreTokenizer() {}

    /** Calls {@code sink} with each word and each punctuation character, left to right. */
    public static void split(String text, Consumer<String> sink) {
        int n = text.length();
        int start = -1;
        int i = 0;
        while (i < n) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (BertNormalizer.isWhitespace(c) || isPunctuation(c)) {
                if (start >= 0) {
                    sink.accept(text.substring(start, i));
                    start = -1;
                }
                if (!BertNormalizer.isWhitespace(c)) {
                    sink.accept(text.substring(i, next));
                }
            } else if (start < 0) {
                start = i;
            }
            i = next;
        }
        if (start >= 0) {
            sink.accept(text.substring(start));
        }
    }

    static boolean isPunctuation(int c) {
        if (c < 0x80) {
            return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
