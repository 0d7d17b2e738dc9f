package dev.vireo.models.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's idea of whitespace ({@code str.isspace()}), and {@code str.split()} and {@code str.strip()}
 * with no argument, which the reference evaluation scripts (COCO captions, VQA) use to cut text into
 * words. Java's {@link Character#isWhitespace} differs (it leaves out U+00A0, U+2007 and U+202F), so
 * code that must agree with those scripts word for word uses this instead.
 */
public final class PythonWhitespace {
    private PythonWhitespace() {}

    /** True for the 29 code points Python 3.11's {@code str.isspace()} accepts. */
    public static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680,
                 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }

    /** {@code s.split()}: the runs of non-whitespace, in order; none for a blank string. */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            if (isSpace(s.charAt(i))) { // every Python whitespace character is in the BMP
                if (start >= 0) words.add(s.substring(start, i));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) words.add(s.substring(start));
        return words;
    }

    /** {@code s.strip()}: without leading and trailing Python whitespace. */
    public static String strip(String s) {
        int from = 0, to = s.length();
        while (from < to && isSpace(s.charAt(from))) from++;
        while (to > from && isSpace(s.charAt(to - 1))) to--;
        return s.substring(from, to);
    }
}
