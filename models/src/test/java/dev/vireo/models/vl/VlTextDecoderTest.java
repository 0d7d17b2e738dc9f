package dev.vireo.models.vl;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.generate.Decoder;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * BLIP's decoder on the VL model's layers: it adds only a self-attention per layer (the rest is the
 * encoder's, shared), teacher forcing gives the logits that decoding one token at a time gives, a
 * token never sees the ones after it, and only mid fusion takes one.
 */
class VlTextDecoderTest {
    private static final int V = 40;

    private static VlConfig config(boolean decoder) {
        return new VlConfig("micro-mid", "mid", 8, new VisionConfig(8, 4, 12, 1, 2, 2.0, "gelu"),
                new BertConfig(V, 16, 3, 2, 32, 12, 2, 1e-12, "gelu", false), 2, 0, 0, decoder);
    }

    @Test
    void theDecoderAddsOnlyItsOwnSelfAttention() {
        Set<String> without = new VlModel(config(false), 1).namedParameters().keySet();
        Set<String> with = new VlModel(config(true), 1).namedParameters().keySet();
        Set<String> added = with.stream().filter(k -> !without.contains(k)).collect(Collectors.toSet());
        assertThat(with).containsAll(without);
        assertThat(added).allMatch(k -> k.matches("text_decoder\\.layer\\.[0-2]\\.(self\\.(query|key|value)|output\\.(dense|LayerNorm))\\.(weight|bias)"));
        assertThat(added).hasSize(3 * 10);
    }

    @Test
    void teacherForcingEqualsDecodingOneTokenAtATime() {
        VlModel model = new VlModel(config(true), 2);
        model.eval();
        int[] ids = {2, 17, 9, 30, 5, 2, 11, 11, 4, 21};
        try (var ignored = GradMode.noGrad()) {
            Tensor images = model.imageTokens(Tensor.randn(new Rng(4), 0f, 1f, 2, 3, 8, 8)); // (2, S, Cv)
            float[] forced = model.logits(ids, 2, 5, images).toArray();                    // (2, 5, V)
            Decoder d = model.decoder(images);
            float[] step = d.prefill(new int[] {2, 2}, 2, 1);
            for (int t = 1; t <= 4; t++) {
                for (int r = 0; r < 2; r++) {
                    for (int v = 0; v < V; v++) {
                        assertThat(step[r * V + v]).as("row %d, position %d", r, t - 1).isCloseTo(forced[(r * 5 + t - 1) * V + v], offset(1e-5f));
                    }
                }
                step = d.step(new int[] {ids[t], ids[5 + t]});
            }
            // a later token changes nothing before it
            int[] changed = ids.clone();
            changed[4] = 33;
            float[] again = model.logits(changed, 2, 5, images).toArray(); // (2, 5, V)
            for (int i = 0; i < 4 * V; i++) assertThat(again[i]).isEqualTo(forced[i]);
        }
    }

    @Test
    void onlyMidFusionTakesADecoderAndAModelWithoutOneSaysSo() {
        VlConfig mid = config(false);
        assertThatThrownBy(() -> new VlConfig("x", "early", 8, mid.vision(), mid.text(), 1, 0, 0, true))
                .hasMessageContaining("only mid fusion");
        VlModel plain = new VlModel(mid, 1);
        assertThatThrownBy(() -> plain.decoder(Tensor.zeros(1, 5, 12))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no text decoder");
    }
}
