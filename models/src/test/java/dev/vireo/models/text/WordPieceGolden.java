/*
 * Reads the golden JSON files of make_wordpiece_golden.py and checks a WordPieceTokenizer against
 * every case: unpadded ids, fixed-length ids/type ids/mask for texts, and truncated pairs.
 */
package dev.vireo.models.text;

import dev.vireo.engine.testing.Fixtures;

import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.integer;
import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Fixtures.string;
import static org.assertj.core.api.Assertions.assertThat;

final class WordPieceGolden {

    private WordPieceGolden() {}

    static Map<String, Object> read(String resource) {
        return Fixtures.json(WordPieceGolden.class, resource);
    }

    /** Checks every case and pair; returns how many were compared exactly. */
    static int checkAll(WordPieceTokenizer tok, Map<String, Object> golden) {
        int length = integer(golden.get("max_length"));
        int n = 0;
        for (Object o : list(golden.get("cases"))) {
            Map<String, Object> c = object(o);
            String text = string(c.get("text"));
            assertThat(tok.encode(text).ids()).as("encode(%s)", text).containsExactly(ints(c.get("unpadded")));
            assertEncoding(tok.encode(text, length), c.get("fixed"), "encode(" + text + ", " + length + ")");
            n++;
        }
        for (Object o : list(golden.get("pairs"))) {
            Map<String, Object> p = object(o);
            String a = string(p.get("a"));
            String b = string(p.get("b"));
            int len = integer(p.get("length"));
            assertEncoding(tok.encodePair(a, b), p.get("unpadded"), "encodePair(" + a + ", " + b + ")");
            String what = "encodePair(" + a + ", " + b + ", " + len + ")";
            if (p.get("differs_by_design") == null) {
                assertEncoding(tok.encodePair(a, b, len), p.get("fixed"), what);
                n++;
            } else {
                // The reference splits the places differently (its reason is in the fixture): the same
                // places are filled, and the split really differs.
                Encoding ours = tok.encodePair(a, b, len);
                Map<String, Object> theirs = object(p.get("fixed"));
                assertThat(ours.attentionMask()).as("%s mask", what).containsExactly(ints(theirs.get("attention_mask")));
                assertThat(ours.typeIds()).as("%s: %s", what, p.get("differs_by_design")).isNotEqualTo(ints(theirs.get("type_ids")));
            }
        }
        return n;
    }

    private static void assertEncoding(Encoding actual, Object expectedJson, String what) {
        Map<String, Object> expected = object(expectedJson);
        assertThat(actual.ids()).as("%s ids", what).containsExactly(ints(expected.get("ids")));
        assertThat(actual.typeIds()).as("%s type ids", what).containsExactly(ints(expected.get("type_ids")));
        assertThat(actual.attentionMask()).as("%s mask", what).containsExactly(ints(expected.get("attention_mask")));
    }
}
