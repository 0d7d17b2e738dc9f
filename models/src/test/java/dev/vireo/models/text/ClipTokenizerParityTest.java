/*
 * Every id of clip_golden.json: 470 captions (punctuation, digits, contractions, accents, emoji,
 * CJK, whitespace runs, HTML entities, special-token text, long texts) tokenised by an independent
 * Python re-implementation of OpenAI's simple_tokenizer (make_clip_golden.py, python3-regex); and,
 * as a second source, transformers' own CLIPTokenizer on the same captions
 * (hf/make_transformers_references.py), which agrees except where the two pipelines differ by design.
 */
package dev.vireo.models.text;

import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Fixtures.string;
import static org.assertj.core.api.Assertions.assertThat;

class ClipTokenizerParityTest {

    private static final ClipTokenizer TOK = ClipTokenizer.openai();

    private static Map<String, Object> golden() {
        return Fixtures.json(ClipTokenizerParityTest.class, "/text/clip_golden.json");
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int i = 0;
        for (Object o : list(golden().get("cases"))) {
            Map<String, Object> c = object(o);
            out.add(Arguments.of(i++, string(c.get("text")), ints(c.get("ids")), ints(c.get("ids77")), string(c.get("decoded"))));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void idsMatchTheReference(int index, String text, int[] ids, int[] ids77, String decoded) {
        assertThat(TOK.encode(text)).as("encode(%s)", text).containsExactly(ids);
        assertThat(TOK.encode(text, 77)).as("encode(%s, 77)", text).containsExactly(ids77);
        assertThat(TOK.decode(Arrays.copyOfRange(ids, 1, ids.length - 1))).as("decode").isEqualTo(decoded);
    }

    /**
     * transformers' CLIPTokenizer (the tokenizers package) on every caption: equal ids wherever its
     * pipeline and OpenAI's agree, and a real difference wherever the fixture records one by design
     * (HTML unescaping, Python's whitespace and case rules, special-token text).
     */
    @Test
    void idsMatchTransformersExceptWhereThePipelinesDifferByDesign() {
        int compared = 0, differing = 0;
        for (Object o : list(Fixtures.json(ClipTokenizerParityTest.class, "/text/clip_transformers_golden.json").get("cases"))) {
            Map<String, Object> c = object(o);
            String text = string(c.get("text"));
            int[] ours = TOK.encode(text), theirs = ints(c.get("ids"));
            if (c.get("differs_by_design") == null) {
                assertThat(ours).as("encode(%s) against transformers", text).containsExactly(theirs);
                compared++;
            } else {
                assertThat(Arrays.equals(ours, theirs)).as("%s: %s", text, c.get("differs_by_design")).isFalse();
                differing++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(370);
        assertThat(differing).isLessThanOrEqualTo(100);
    }

    @Test
    void goldenFileCoversEnoughCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void goldenWasMadeFromTheBundledVocabulary() throws Exception {
        String expected = string(golden().get("vocab_txt_sha256"));
        byte[] text;
        try (InputStream in = new GZIPInputStream(ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz"))) {
            text = in.readAllBytes();
        }
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text))).isEqualTo(expected);
    }
}
