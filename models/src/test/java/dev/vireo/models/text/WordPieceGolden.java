/*
 * Reads the golden JSON files of make_wordpiece_golden.py and checks a WordPieceTokenizer against
 * every case: unpadded ids, fixed-length ids/type ids/mask for texts, and truncated pairs.
 */
package dev.vireo.models.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

final class WordPieceGolden {

    private WordPieceGolden() {}

    static JsonNode read(String resource) throws IOException {
        try (InputStream in = WordPieceGolden.class.getResourceAsStream(resource)) {
            assertThat(in).as("test resource %s", resource).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    /** Checks every case and pair; returns how many were compared. */
    static int checkAll(WordPieceTokenizer tok, JsonNode golden) {
        int length = golden.get("max_length").asInt();
        int n = 0;
        for (JsonNode c : golden.get("cases")) {
            String text = c.get("text").asText();
            assertThat(tok.encode(text).ids()).as("encode(%s)", text).containsExactly(ints(c.get("unpadded")));
            assertEncoding(tok.encode(text, length), c.get("fixed"), "encode(" + text + ", " + length + ")");
            n++;
        }
        for (JsonNode p : golden.get("pairs")) {
            String a = p.get("a").asText();
            String b = p.get("b").asText();
            int len = p.get("length").asInt();
            assertEncoding(tok.encodePair(a, b), p.get("unpadded"), "encodePair(" + a + ", " + b + ")");
            assertEncoding(tok.encodePair(a, b, len), p.get("fixed"), "encodePair(" + a + ", " + b + ", " + len + ")");
            n++;
        }
        return n;
    }

    private static void assertEncoding(Encoding actual, JsonNode expected, String what) {
        assertThat(actual.ids()).as("%s ids", what).containsExactly(ints(expected.get("ids")));
        assertThat(actual.typeIds()).as("%s type ids", what).containsExactly(ints(expected.get("type_ids")));
        assertThat(actual.attentionMask()).as("%s mask", what).containsExactly(ints(expected.get("attention_mask")));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
