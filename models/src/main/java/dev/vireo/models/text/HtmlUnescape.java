/*
 * Python's html.unescape, character for character: numeric references (with the Windows-1252
 * fix-ups and the dropped code points of the HTML5 spec) and the 2,231 HTML5 named references,
 * including the legacy names that need no ';' and the longest-prefix rule for unknown names.
 * Not an HTML parser: it only rewrites '&...' references in plain text.
 */
package dev.vireo.models.text;

import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

public final class HtmlUnescape {

    private static final String ENTITIES = "html5_entities.txt";
    /** The longest run of name characters the reference's pattern takes: {@code {1,32}}. */
    private static final int MAX_NAME = 32;

    private static final Map<String, String> NAMED = loadNamed();
    /** html._invalid_charrefs: code points 0x80..0x9F read as Windows-1252, plus 0x00 and 0x0D. */
    private static final String[] CP1252 = {
        "\u20ac", "\u0081", "\u201a", "\u0192", "\u201e", "\u2026", "\u2020", "\u2021",
        "\u02c6", "\u2030", "\u0160", "\u2039", "\u0152", "\u008d", "\u017d", "\u008f",
        "\u0090", "\u2018", "\u2019", "\u201c", "\u201d", "\u2022", "\u2013", "\u2014",
        "\u02dc", "\u2122", "\u0161", "\u203a", "\u0153", "\u009d", "\u017e", "\u0178"};

    private HtmlUnescape() {}

    /** html.unescape(s): every '&' reference replaced, everything else kept. */
    public static String unescape(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, amp);
        int i = amp;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = matchReference(s, i + 1);
            if (end < 0) {
                out.append('&');
                i++;
                continue;
            }
            replace(s.substring(i + 1, end), out);
            i = end;
        }
        return out.toString();
    }

    /**
     * End (exclusive) of the reference body starting at {@code from}, or -1 when the pattern
     * {@code #[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?} does not match there.
     */
    private static int matchReference(String s, int from) {
        int n = s.length();
        if (from >= n) {
            return -1;
        }
        if (s.charAt(from) == '#') {
            int j = from + 1;
            boolean hex = j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
            if (hex) {
                j++;
            }
            int digits = j;
            while (j < n && (hex ? isHexDigit(s.charAt(j)) : isDigit(s.charAt(j)))) {
                j++;
            }
            if (j == digits) {
                return -1;  // '#' cannot start a name either: the name class excludes it
            }
            return j < n && s.charAt(j) == ';' ? j + 1 : j;
        }
        int j = from;
        int count = 0;
        while (j < n && count < MAX_NAME) {
            int cp = s.codePointAt(j);
            if (cp == '\t' || cp == '\n' || cp == '\f' || cp == ' ' || cp == '<' || cp == '&'
                    || cp == '#' || cp == ';') {
                break;
            }
            j += Character.charCount(cp);
            count++;
        }
        if (count == 0) {
            return -1;
        }
        return j < n && s.charAt(j) == ';' ? j + 1 : j;
    }

    /** html._replace_charref for one matched body (the text after '&'). */
    private static void replace(String body, StringBuilder out) {
        if (body.charAt(0) == '#') {
            boolean hex = body.charAt(1) == 'x' || body.charAt(1) == 'X';
            String digits = body.substring(hex ? 2 : 1, body.endsWith(";") ? body.length() - 1 : body.length());
            appendCodePoint(parseBounded(digits, hex ? 16 : 10), out);
            return;
        }
        String whole = NAMED.get(body);
        if (whole != null) {
            out.append(whole);
            return;
        }
        // the longest known prefix of at least two code points, as the HTML5 spec reads it
        int[] cps = body.codePoints().toArray();
        for (int x = cps.length - 1; x > 1; x--) {
            String prefix = new String(cps, 0, x);
            String value = NAMED.get(prefix);
            if (value != null) {
                out.append(value).append(body, prefix.length(), body.length());
                return;
            }
        }
        out.append('&').append(body);
    }

    private static void appendCodePoint(int num, StringBuilder out) {
        if (num == 0x00) {
            out.append('\ufffd');
        } else if (num == 0x0d) {
            out.append('\r');
        } else if (num >= 0x80 && num <= 0x9f) {
            out.append(CP1252[num - 0x80]);
        } else if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) {
            out.append('\ufffd');
        } else if (!isDroppedCodePoint(num)) {
            out.appendCodePoint(num);
        }
    }

    /** html._invalid_codepoints (0x80..0x9F never get here: they were mapped above). */
    private static boolean isDroppedCodePoint(int cp) {
        return (cp >= 0x1 && cp <= 0x8) || cp == 0xb || (cp >= 0xe && cp <= 0x1f)
                || cp == 0x7f || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
    }

    /** The number, or Integer.MAX_VALUE once it is past every code point (it then reads as U+FFFD). */
    private static int parseBounded(String digits, int radix) {
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            value = value * radix + Character.digit(digits.charAt(i), radix);
            if (value > 0x10ffff) {
                return Integer.MAX_VALUE;
            }
        }
        return (int) value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static Map<String, String> loadNamed() {
        Map<String, String> map = new Object2ObjectOpenHashMap<>(4096);
        try (InputStream in = HtmlUnescape.class.getResourceAsStream(ENTITIES)) {
            if (in == null) {
                throw new IllegalStateException("HtmlUnescape: resource " + ENTITIES + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder(2);
                for (String hex : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(hex, 16));
                }
                map.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HtmlUnescape: cannot read " + ENTITIES, e);
        }
        return map;
    }
}
