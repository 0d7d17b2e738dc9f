package dev.vireo.engine.io.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259 syntax) for file headers such as safetensors': objects
 * (keys in file order, duplicates rejected), arrays, strings with every escape, integers that fit
 * a {@code long} and numbers with a fraction or exponent (as {@code double}). {@code true},
 * {@code false} and {@code null} are rejected, as is anything after the value but whitespace.
 * Nesting is capped so hostile input cannot overflow the stack.
 */
public final class JsonReader {
    /** Deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value: {@code Map<String, Object>} (insertion-ordered), {@code List<Object>},
     * {@code String}, {@code Long} (integers) or {@code Double} (numbers with a fraction or exponent).
     */
    public static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        r.skipWhitespace();
        Object value = r.value(0);
        r.skipWhitespace();
        if (r.pos != text.length()) throw r.error("unexpected '" + text.charAt(r.pos) + "' after the value");
        return value;
    }

    private Object value(int depth) {
        if (pos >= text.length()) throw error("unexpected end of input");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected '" + c + "' (only objects, arrays, strings and numbers are supported)");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (map.putIfAbsent(key, v) != null) {
                throw new JsonException("duplicate key \"" + key + "\"", keyAt);
            }
            skipWhitespace();
            char c = next();
            if (c == '}') return map;
            if (c != ',') throw error("expected ',' or '}' in an object, found '" + c + "'");
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = next();
            if (c == ']') return list;
            if (c != ',') throw error("expected ',' or ']' in an array, found '" + c + "'");
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return checkSurrogates(sb);
            if (c < 0x20) throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> throw error("invalid escape '\\" + e + "'");
            }
        }
    }

    /** A {@code \}{@code u} escape may not leave half of a surrogate pair (serde_json rejects it too). */
    private String checkSurrogates(StringBuilder sb) {
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < sb.length() && Character.isLowSurrogate(sb.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("unpaired surrogate U+" + String.format("%04X", (int) c) + " in a string");
            }
        }
        return sb.toString();
    }

    private char hex4() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(next(), 16);
            if (d < 0) throw error("invalid \\u escape");
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        int digitsAt = pos;
        skipDigits();
        if (text.charAt(digitsAt) == '0' && pos - digitsAt > 1) throw new JsonException("leading zero in a number", digitsAt);
        boolean integer = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            skipDigits();
            integer = false;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
            skipDigits();
            integer = false;
        }
        String literal = text.substring(start, pos);
        if (!integer) return Double.parseDouble(literal);
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException ex) {
            throw new JsonException("integer " + literal + " does not fit 64 bits", start);
        }
    }

    /** One or more decimal digits. */
    private void skipDigits() {
        int from = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
        if (pos == from) throw error("expected a digit");
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) throw error("unexpected end of input");
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        char got = next();
        if (got != c) throw new JsonException("expected '" + c + "', found '" + got + "'", pos - 1);
    }

    private JsonException error(String message) {
        return new JsonException(message, pos);
    }
}
