/*
 * CLIP's pre-tokenizer, a hand-written scanner equal to findall of the case-insensitive pattern
 *   <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
 * on normalised (lower-cased) text: alternatives are tried in that order at each position, and
 * characters no alternative matches (whitespace) are skipped. No regex engine on the hot path.
 */
package dev.vireo.models.text;

import java.util.function.Consumer;
import java.util.function.Predicate;

public final class ClipPreTokenizer {

    public static final String START = "<|startoftext|>";
    public static final String END = "<|endoftext|>";

    private ClipPreTokenizer() {}

    /** Calls {@code sink} with each pre-token of {@code text}, left to right. */
    public static void split(String text, Consumer<String> sink) {
        splitWhile(text, word -> {
            sink.accept(word);
            return true;
        });
    }

    /** Calls {@code sink} with each pre-token of {@code text}, left to right, until it returns false. */
    public static void splitWhile(String text, Predicate<String> sink) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int end = matchAt(text, i);
            if (end < 0) {
                i += Character.charCount(text.codePointAt(i));
            } else {
                if (!sink.test(text.substring(i, end))) {
                    return;
                }
                i = end;
            }
        }
    }

    /** End of the match starting at {@code i}, or -1 when no alternative matches there. */
    private static int matchAt(String s, int i) {
        char c = s.charAt(i);
        if (c == '<') {
            if (matchesIgnoringCase(s, i, START)) {
                return i + START.length();
            }
            if (matchesIgnoringCase(s, i, END)) {
                return i + END.length();
            }
        } else if (c == '\'') {
            int contraction = contraction(s, i + 1);
            if (contraction > 0) {
                return contraction;
            }
        }
        int cp = s.codePointAt(i);
        if (isLetter(cp)) {
            int j = i;
            while (j < s.length() && isLetter(cp = s.codePointAt(j))) {
                j += Character.charCount(cp);
            }
            return j;
        }
        if (isNumber(cp)) {
            return i + Character.charCount(cp);
        }
        if (ClipTextNormalizer.isWhiteSpace(cp)) {
            return -1;
        }
        int j = i;
        while (j < s.length()) {
            cp = s.codePointAt(j);
            if (isLetter(cp) || isNumber(cp) || ClipTextNormalizer.isWhiteSpace(cp)) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }

    /** End of 's|'t|'re|'ve|'m|'ll|'d after the apostrophe at {@code j - 1}, or -1. */
    private static int contraction(String s, int j) {
        if (j >= s.length()) {
            return -1;
        }
        char a = s.charAt(j);
        char b = j + 1 < s.length() ? s.charAt(j + 1) : 0;
        // case-insensitive: after lower-casing only U+017F LONG S still folds to one of these letters
        if (a == 's' || a == 'S' || a == '\u017f' || a == 't' || a == 'T'
                || a == 'm' || a == 'M' || a == 'd' || a == 'D') {
            return j + 1;
        }
        if ((a == 'r' || a == 'R' || a == 'v' || a == 'V') && (b == 'e' || b == 'E')) {
            return j + 2;
        }
        if ((a == 'l' || a == 'L') && (b == 'l' || b == 'L')) {
            return j + 2;
        }
        return -1;
    }

    /** Whether {@code literal} (lower-case ASCII) occurs at {@code i}, compared as the regex's IGNORECASE does. */
    private static boolean matchesIgnoringCase(String s, int i, String literal) {
        if (i + literal.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < literal.length(); k++) {
            char c = s.charAt(i + k);
            char l = literal.charAt(k);
            if (c != l && Character.toLowerCase(c) != l && !(l == 's' && c == '\u017f')) {
                return false;
            }
        }
        return true;
    }

    /** \p{L}: general categories Lu, Ll, Lt, Lm, Lo. */
    static boolean isLetter(int cp) {
        if (cp < 0x80) {
            return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> true;
            default -> false;
        };
    }

    /** \p{N}: general categories Nd, Nl, No. */
    static boolean isNumber(int cp) {
        if (cp < 0x80) {
            return cp >= '0' && cp <= '9';
        }
        return switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }
}
