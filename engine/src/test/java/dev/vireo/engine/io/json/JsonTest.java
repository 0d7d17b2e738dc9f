package dev.vireo.engine.io.json;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict header JSON parser and the serde_json-compatible writer. */
class JsonTest {

    @Test
    void parsesObjectsArraysStringsAndIntegers() {
        Object v = JsonReader.parse(" {\"a\": [1, -2, 0, 9223372036854775807], \"b\": {\"c\": \"x\\ny\\u00e9\\\"\"}, \"d\": []} ");
        assertThat(v).isEqualTo(Map.of("a", List.of(1L, -2L, 0L, Long.MAX_VALUE), "b", Map.of("c", "x\nyé\""), "d", List.of()));
    }

    @Test
    void parsesFractionsAndExponentsAsDoubles() {
        assertThat(JsonReader.parse("[1.5, -0.25e-3, 2E+2, 0.1]")).isEqualTo(List.of(1.5, -0.25e-3, 200.0, 0.1));
    }

    @Test
    void keepsKeyOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void decodesSurrogatePairs() {
        assertThat(JsonReader.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void rejectsWhatIsNotStrictJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "01", "1.", ".5", "1e", "-x", "1.5.2", "true", "null", "-",
                "\"abc", "\"a\\x\"", "\"\\u12\"", "\"tab\there\"", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "99999999999999999999",
                "{'a':1}", "\"\\ud800\"", "[" .repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> JsonReader.parse(bad)).as(bad).isInstanceOf(JsonException.class);
        }
    }

    @Test
    void writesLikeSerdeJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", "q\" b\\ / \t\n\r\b\f \u0001\u001f\u007f é");
        m.put("shape", new int[] {2, 3});
        m.put("offsets", new long[] {0, 24});
        m.put("list", List.of(1L, "x"));
        m.put("empty", Map.of());
        assertThat(JsonWriter.write(m)).isEqualTo(
                "{\"k\":\"q\\\" b\\\\ / \\t\\n\\r\\b\\f \\u0001\\u001f\u007f é\",\"shape\":[2,3],\"offsets\":[0,24],\"list\":[1,\"x\"],\"empty\":{}}");
    }

    @Test
    void roundTrips() {
        String text = "{\"__metadata__\":{\"a\":\"\\u0000 \\\\ \\\" é\"},\"t\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        assertThat(JsonWriter.write(JsonReader.parse(text))).isEqualTo(text);
    }
}
