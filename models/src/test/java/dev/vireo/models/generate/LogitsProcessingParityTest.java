package dev.vireo.models.generate;

import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.list;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parity with transformers 5.18's logits processors and warpers ({@code make_logits_processors.py}):
 * repetition penalty (above and below 1), min length, temperature, top-k, top-p and their
 * combinations, with one and two tokens always kept, applied in transformers' order to fixed rows:
 * the same tokens filtered to -∞ and the others within 1e-6.
 */
class LogitsProcessingParityTest {
    @Test
    void processorsAndWarpersFilterAsTransformers() {
        Map<String, Object> golden = Fixtures.json(LogitsProcessingParityTest.class, "/generate/logits_processors.json");
        int eos = Fixtures.integer(golden.get("eos"));
        List<Object> inputs = list(golden.get("input_scores")), sequences = list(golden.get("sequences"));
        for (Object o : list(golden.get("cases"))) {
            Map<String, Object> c = Fixtures.object(o);
            GenerationConfig config = new GenerationConfig(1, Fixtures.integer(c.get("min_length")), 1, 1.0, false, true,
                    Fixtures.integer(c.get("top_k")), Fixtures.number(c.get("top_p")), Fixtures.number(c.get("temperature")),
                    Fixtures.number(c.get("repetition_penalty")), 0);
            List<Object> expected = list(c.get("scores"));
            for (int r = 0; r < inputs.size(); r++) {
                float[] scores = Fixtures.floats(inputs.get(r));
                int[] sequence = Fixtures.ints(sequences.get(r));
                LogitsProcessing.process(scores, 0, scores.length, sequence, sequence.length, config, eos);
                LogitsProcessing.warp(scores, 0, scores.length, config, Fixtures.integer(c.get("min_keep")));
                List<Object> want = list(expected.get(r));
                for (int v = 0; v < scores.length; v++) {
                    String where = c + ", row " + r + ", token " + v;
                    if ("-inf".equals(want.get(v))) {
                        assertThat(scores[v]).as(where).isEqualTo(Float.NEGATIVE_INFINITY);
                    } else {
                        assertThat((double) scores[v]).as(where).isCloseTo(Fixtures.number(want.get(v)), org.assertj.core.api.Assertions.offset(1e-6));
                    }
                }
            }
        }
    }
}
