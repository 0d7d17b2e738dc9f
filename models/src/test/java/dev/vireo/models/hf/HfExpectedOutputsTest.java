package dev.vireo.models.hf;

import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.number;
import static dev.vireo.engine.testing.Fixtures.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The expected.json fixtures are whole and self-consistent: shapes, and logits = exp(scale) * cos. */
class HfExpectedOutputsTest {

    static Map<String, Object> expected(String folder) {
        return Fixtures.json(HfExpectedOutputsTest.class, "/hf/" + folder + "/expected.json");
    }

    /** The rows of a JSON array of arrays. */
    private static List<Object> rows(Map<String, Object> e, String key) {
        return list(e.get(key));
    }

    @Test
    void shapesMatchTheConfig() {
        for (String folder : List.of("tiny-clip", "tiny-clip-legacy")) {
            Map<String, Object> e = expected(folder);
            Map<String, Object> pixels = object(e.get("pixel_values"));
            assertThat(ints(pixels.get("shape"))).as(folder).containsExactly(3, 3, 32, 32);
            assertThat(list(pixels.get("data"))).hasSize(3 * 3 * 32 * 32);
            assertThat(rows(e, "input_ids")).hasSize(4);
            rows(e, "input_ids").forEach(row -> assertThat(list(row)).hasSize(16));
            assertThat(rows(e, "captions")).hasSize(4);
            assertThat(rows(e, "image_embeds")).hasSize(3);
            assertThat(list(rows(e, "image_embeds").get(0))).hasSize(16);
            assertThat(rows(e, "text_embeds")).hasSize(4);
            assertThat(list(rows(e, "image_pooled").get(0))).hasSize(32);
            assertThat(list(rows(e, "text_pooled").get(0))).hasSize(32);
            assertThat(rows(e, "logits_per_image")).hasSize(3);
            assertThat(list(rows(e, "logits_per_image").get(0))).hasSize(4);
        }
    }

    @Test
    void logitsAreScaledCosinesOfTheEmbeddings() {
        for (String folder : List.of("tiny-clip", "tiny-clip-legacy")) {
            Map<String, Object> e = expected(folder);
            double scale = Math.exp(number(e.get("logit_scale")));
            for (int i = 0; i < 3; i++) {
                for (int t = 0; t < 4; t++) {
                    double cos = cosine(list(rows(e, "image_embeds").get(i)), list(rows(e, "text_embeds").get(t)));
                    assertThat(number(list(rows(e, "logits_per_image").get(i)).get(t)))
                            .as(folder + " logits[" + i + "][" + t + "]").isCloseTo(scale * cos, within(1e-9));
                }
            }
        }
    }

    private static double cosine(List<Object> a, List<Object> b) {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.size(); k++) {
            dot += number(a.get(k)) * number(b.get(k));
            na += number(a.get(k)) * number(a.get(k));
            nb += number(b.get(k)) * number(b.get(k));
        }
        return dot / Math.sqrt(na * nb);
    }
}
