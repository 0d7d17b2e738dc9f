package dev.vireo.models;

import dev.vireo.engine.testing.Fixtures;
import dev.vireo.engine.testing.Tolerances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.vireo.engine.testing.Fixtures.floats;
import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Fixtures.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * all-MiniLM-L6-v2 sentence embeddings against ONNX Runtime on the same ONNX file
 * (make_minilm_golden.py): accents, punctuation, numbers, CJK, emoji, special-token text and a
 * sentence past 256 word pieces, to 1e-4 per component; ids exactly. Batched, shuffled and one by
 * one give the same vectors.
 */
class SentenceEncoderParityTest {
    private static SentenceEncoder minilm;
    private static List<String> texts;
    private static List<Map<String, Object>> rows;

    @BeforeAll
    static void load() {
        minilm = MiniLmTestModel.load();
        Map<String, Object> golden = Fixtures.json(SentenceEncoderParityTest.class, "/bert/minilm_embeddings_golden.json");
        rows = new ArrayList<>();
        texts = new ArrayList<>();
        for (Object o : list(golden.get("sentences"))) {
            rows.add(object(o));
            texts.add(string(object(o).get("text")));
        }
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    @Test
    void idsAndEmbeddingsMatchOnnxRuntime() {
        assertThat(minilm.maxLength()).isEqualTo(256);
        assertThat(minilm.dimension()).isEqualTo(384);
        int[][] ids = minilm.tokenize(texts);
        float[][] vectors = minilm.encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ids[i]).as("ids of %s", texts.get(i)).containsExactly(ints(rows.get(i).get("ids")));
            Tolerances.assertAllClose("embedding of " + texts.get(i), floats(rows.get(i).get("embedding")), vectors[i], 1e-4, 0);
        }
        assertThat(ids[texts.size() - 1]).hasSize(256);
    }

    @Test
    void batchingAndOrderDoNotChangeAVector() {
        float[][] together = minilm.encode(texts);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(7));
        List<String> shuffled = order.stream().map(texts::get).toList();
        float[][] mixed = minilm.encode(shuffled);
        for (int j = 0; j < order.size(); j++) {
            Tolerances.assertAllClose("shuffled " + shuffled.get(j), together[order.get(j)], mixed[j], 2e-6, 0);
        }
        for (int i : new int[] {0, 6, texts.size() - 1}) {
            Tolerances.assertAllClose("alone " + texts.get(i), together[i], minilm.encode(List.of(texts.get(i)))[0], 2e-6, 0);
        }
    }

    @Test
    void aShorterMaxLengthTruncatesKeepingSep() {
        SentenceEncoder short16 = minilm.withMaxLength(16);
        int[] ids = short16.tokenize(List.of(texts.getLast()))[0];
        assertThat(ids).hasSize(16);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[15]).isEqualTo(102);
    }
}
