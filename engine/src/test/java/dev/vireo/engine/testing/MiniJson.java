package dev.vireo.engine.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small JSON reader for the golden fixtures (objects, arrays, numbers, strings, booleans, null). */
public final class MiniJson {
    private final String s;
    private int pos;

    private MiniJson(String s) {
        this.s = s;
    }

    public static Object parse(String text) {
        MiniJson p = new MiniJson(text);
        Object v = p.value();
        p.skip();
        if (p.pos != text.length()) throw p.error("trailing characters");
        return v;
    }

    /** A list of numbers as floats. */
    @SuppressWarnings("unchecked")
    public static float[] floats(Object list) {
        List<Object> l = (List<Object>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).floatValue();
        return out;
    }

    private Object value() {
        skip();
        char c = s.charAt(pos);
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return string();
        if (s.startsWith("true", pos)) return literal("true", Boolean.TRUE);
        if (s.startsWith("false", pos)) return literal("false", Boolean.FALSE);
        if (s.startsWith("null", pos)) return literal("null", null);
        return number();
    }

    private Object literal(String word, Object v) {
        pos += word.length();
        return v;
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skip();
        if (s.charAt(pos) == '}') {
            pos++;
            return m;
        }
        while (true) {
            skip();
            String key = string();
            skip();
            expect(':');
            m.put(key, value());
            skip();
            if (s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            expect(',');
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        pos++;
        skip();
        if (s.charAt(pos) == ']') {
            pos++;
            return l;
        }
        while (true) {
            l.add(value());
            skip();
            if (s.charAt(pos) == ']') {
                pos++;
                return l;
            }
            expect(',');
        }
    }

    private String string() {
        expect('"');
        int start = pos;
        while (s.charAt(pos) != '"') {
            if (s.charAt(pos) == '\\') throw error("escapes are not used by the fixtures");
            pos++;
        }
        return s.substring(start, pos++);
    }

    private Double number() {
        int start = pos;
        while (pos < s.length() && "+-0123456789.eEINaninfty".indexOf(s.charAt(pos)) >= 0) pos++;
        String t = s.substring(start, pos);
        if (t.isEmpty()) throw error("expected a value");
        return switch (t) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(t);
        };
    }

    private void expect(char c) {
        if (s.charAt(pos) != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void skip() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("fixture JSON: " + what + " at character " + pos);
    }
}
