package dev.vireo.engine.io.json;

import java.util.List;
import java.util.Map;

/**
 * Compact JSON output byte-compatible with Rust's serde_json (what the reference safetensors
 * writer uses): no spaces, maps in their iteration order, and strings escaped exactly as serde_json
 * does ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other control characters as lower-case
 * {@code \}{@code u00xx}; everything else, {@code /} and non-ASCII included, written as is).
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {}

    /** Serialises a {@code Map<String, ?>}, {@code List<?>}, {@code long[]}, {@code int[]}, String or integer. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    /** Appends {@code value} to {@code sb}. */
    public static void write(StringBuilder sb, Object value) {
        switch (value) {
            case String s -> string(sb, s);
            case Long l -> sb.append(l.longValue());
            case Integer i -> sb.append(i.intValue());
            case long[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ",").append(a[i]);
                sb.append(']');
            }
            case int[] a -> {
                sb.append('[');
                for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ",").append(a[i]);
                sb.append(']');
            }
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("json: object key " + e.getKey() + " is not a string");
                    }
                    if (!first) sb.append(',');
                    first = false;
                    string(sb, key);
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(sb, list.get(i));
                }
                sb.append(']');
            }
            case null -> throw new IllegalArgumentException("json: null is not supported");
            default -> throw new IllegalArgumentException("json: cannot write a " + value.getClass().getName());
        }
    }

    /** Appends {@code s} as a quoted, escaped JSON string. */
    public static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
