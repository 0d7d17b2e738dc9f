package dev.vireo.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The expected.json fixtures are whole and self-consistent: shapes, and logits = exp(scale) * cos. */
class HfExpectedOutputsTest {

    @Test
    void shapesMatchTheConfig() {
        for (String folder : List.of("tiny-clip", "tiny-clip-legacy")) {
            JsonNode e = HfFixtures.json(folder + "/expected.json");
            assertThat(HfFixtures.ints(e.get("pixel_values").get("shape"))).as(folder).containsExactly(3, 3, 32, 32);
            assertThat(e.get("pixel_values").get("data").size()).isEqualTo(3 * 3 * 32 * 32);
            assertThat(e.get("input_ids").size()).isEqualTo(4);
            e.get("input_ids").forEach(row -> assertThat(row.size()).isEqualTo(16));
            assertThat(e.get("captions").size()).isEqualTo(4);
            assertThat(e.get("image_embeds").size()).isEqualTo(3);
            assertThat(e.get("image_embeds").get(0).size()).isEqualTo(16);
            assertThat(e.get("text_embeds").size()).isEqualTo(4);
            assertThat(e.get("image_pooled").get(0).size()).isEqualTo(32);
            assertThat(e.get("text_pooled").get(0).size()).isEqualTo(32);
            assertThat(e.get("logits_per_image").size()).isEqualTo(3);
            assertThat(e.get("logits_per_image").get(0).size()).isEqualTo(4);
        }
    }

    @Test
    void logitsAreScaledCosinesOfTheEmbeddings() {
        for (String folder : List.of("tiny-clip", "tiny-clip-legacy")) {
            JsonNode e = HfFixtures.json(folder + "/expected.json");
            double scale = Math.exp(e.get("logit_scale").doubleValue());
            for (int i = 0; i < 3; i++) {
                for (int t = 0; t < 4; t++) {
                    double cos = cosine(e.get("image_embeds").get(i), e.get("text_embeds").get(t));
                    assertThat(e.get("logits_per_image").get(i).get(t).doubleValue())
                            .as(folder + " logits[" + i + "][" + t + "]").isCloseTo(scale * cos, within(1e-9));
                }
            }
        }
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.size(); k++) {
            dot += a.get(k).doubleValue() * b.get(k).doubleValue();
            na += a.get(k).doubleValue() * a.get(k).doubleValue();
            nb += b.get(k).doubleValue() * b.get(k).doubleValue();
        }
        return dot / Math.sqrt(na * nb);
    }
}
