/*
 * The text clean-up of OpenAI's simple_tokenizer before pre-tokenization: NFC (the one ftfy
 * step every caption needs; ftfy's mojibake and quote repairs are not applied), html.unescape
 * twice, strip, every whitespace run to one space, strip, lower-case. Two whitespace sets meet
 * here, as in the original: str.strip uses str.isspace, the regex \s uses Unicode White_Space.
 */
package dev.vireo.models.text;

import java.text.Normalizer;
import java.util.Locale;

public final class ClipTextNormalizer {

    private ClipTextNormalizer() {}

    /** whitespace_clean(basic_clean(text)).lower() of simple_tokenizer, without ftfy. */
    public static String normalize(String text) {
        String s = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);  // ASCII is already NFC
        s = HtmlUnescape.unescape(HtmlUnescape.unescape(s));
        s = collapseWhitespace(s);
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * regex.sub(r'\s+', ' ', text.strip()).strip(). After the first strip both ends are
     * non-space, so collapsing White_Space runs inside cannot create a space the second strip removes.
     */
    static String collapseWhitespace(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isPythonSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isPythonSpace(s.charAt(to - 1))) {
            to--;
        }
        StringBuilder out = new StringBuilder(to - from);
        boolean inRun = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);  // every whitespace character of either set is in the BMP
            if (isWhiteSpace(c)) {
                if (!inRun) {
                    out.append(' ');
                    inRun = true;
                }
            } else {
                out.append(c);
                inRun = false;
            }
        }
        return out.toString();
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Python's str.isspace (what str.strip removes): White_Space plus the separators U+001C..U+001F. */
    public static boolean isPythonSpace(int c) {
        return isWhiteSpace(c) || (c >= 0x1c && c <= 0x1f);
    }

    /** The Unicode White_Space property, which is what the regex module's \s matches. */
    public static boolean isWhiteSpace(int c) {
        if (c < 0x80) {
            return (c >= 0x09 && c <= 0x0d) || c == 0x20;
        }
        return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
    }
}
