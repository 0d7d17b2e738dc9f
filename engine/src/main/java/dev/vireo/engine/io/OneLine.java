package dev.vireo.engine.io;

/**
 * Error messages stay one line whatever a damaged file put into them: a message that quotes bytes of
 * its input (a header field, a column name, a chunk type) shows control characters as escapes
 * ({@code \n}, {@code \t}, {@code \u0000}) instead of breaking the line or the terminal.
 */
public final class OneLine {
    private OneLine() {}

    /** {@code text} with every control character escaped; null stays null. */
    public static String of(String text) {
        if (text == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isISOControl(c)) {
                if (out != null) out.append(c);
                continue;
            }
            if (out == null) out = new StringBuilder(text.length() + 8).append(text, 0, i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
