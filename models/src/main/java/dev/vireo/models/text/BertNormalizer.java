/*
 * Hugging Face's BertNormalizer (tokenizers, normalizers/bert.rs), step for step: drop NUL, U+FFFD
 * and control/format/unassigned characters (tab, LF, CR excepted), White_Space to ' ', spaces
 * around CJK ideographs, NFD minus non-spacing marks (strip accents), per-character lower case.
 */
package dev.vireo.models.text;

import java.text.Normalizer;

public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase) {

    /** bert-base-uncased and all-MiniLM-L6-v2: every step on (strip_accents null follows lowercase). */
    public static final BertNormalizer UNCASED = new BertNormalizer(true, true, true, true);

    public String normalize(String text) {
        if (ClipTextNormalizer.isAscii(text)) {
            return normalizeAscii(text);
        }
        String s = text;
        if (cleanText) {
            s = clean(s);
        }
        if (handleChineseChars) {
            s = spaceChinese(s);
        }
        if (stripAccents) {
            s = stripAccents(s);
        }
        if (lowercase) {
            s = lowercase(s);
        }
        return s;
    }

    /** The same steps for ASCII text, in one pass: no CJK, nothing to decompose, only A-Z to lower. */
    private String normalizeAscii(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (cleanText && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)) {
                continue;  // NUL and the other C0 controls, and DEL
            }
            if (cleanText && (c == '\t' || c == '\n' || c == '\r')) {
                c = ' ';
            } else if (lowercase && c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == 0 || c == 0xfffd || isControl(c)) {
                return;  // the filter runs before the whitespace map: \v, \f, U+0085 are dropped
            }
            if (isWhitespace(c)) {
                out.append(' ');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String spaceChinese(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            if (isChineseChar(c)) {
                out.append(' ').appendCodePoint(c).append(' ');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String stripAccents(String s) {
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(c -> {
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** Rust's char::to_lowercase per character: no final-sigma context; U+0130 becomes "i\u0307". */
    private static String lowercase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == 0x130) {
                out.append("i\u0307");
            } else {
                out.appendCodePoint(Character.toLowerCase(c));
            }
        });
        return out.toString();
    }

    /** tab, LF and CR count as whitespace; every other character of category C* is a control. */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** Rust's char::is_whitespace: the Unicode White_Space property. */
    static boolean isWhitespace(int c) {
        return ClipTextNormalizer.isWhiteSpace(c);
    }

    /** The CJK blocks of bert.rs (its Extension E range starts at 0x2B920, kept as written there). */
    static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
                || (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F)
                || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
