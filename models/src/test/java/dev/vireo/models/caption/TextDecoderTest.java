package dev.vireo.models.caption;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.generate.Decoder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * The decoder's cache on a small random model: one causal prefill of a sequence gives the logits
 * that feeding it one token at a time gives (with two layers, a prefill that let a token see later
 * ones would change the second layer's cached keys and so the last logits); rows copied into beams
 * and reordered continue as their source rows would; a row cannot move to another image's group.
 */
class TextDecoderTest {
    private static final int V = 23, G = 2, S = 5, CV = 12;

    private static TextDecoder model() {
        BertConfig config = new BertConfig(V, 16, 2, 4, 32, 12, 0, 1e-12, "gelu", false);
        return new TextDecoder(new Rng(5), config, CV);
    }

    private static Tensor images() {
        return Tensor.randn(new Rng(9), 0f, 1f, G, S, CV); // (G, S, Cv)
    }

    @Test
    void prefillEqualsOneTokenAtATime() {
        TextDecoder model = model();
        int[][] rows = {{1, 7, 3, 9}, {1, 4, 4, 2}};
        try (var ignored = GradMode.noGrad()) {
            Decoder whole = model.decoder(images());
            float[] prefilled = whole.prefill(new int[] {1, 7, 3, 9, 1, 4, 4, 2}, G, 4);
            Decoder stepped = model.decoder(images());
            float[] logits = stepped.prefill(new int[] {1, 1}, G, 1);
            for (int p = 1; p < 4; p++) logits = stepped.step(new int[] {rows[0][p], rows[1][p]});
            for (int i = 0; i < logits.length; i++) assertThat(logits[i]).isCloseTo(prefilled[i], offset(1e-5f));
        }
    }

    @Test
    void selectedRowsContinueAsTheirSources() {
        TextDecoder model = model();
        try (var ignored = GradMode.noGrad()) {
            Decoder beams = model.decoder(images());
            beams.prefill(new int[] {1, 6, 1, 8}, G, 2);
            beams.select(new int[] {0, 0, 0, 1, 1, 1});           // three beams per image
            beams.step(new int[] {3, 4, 5, 6, 7, 8});
            beams.select(new int[] {2, 2, 0, 4, 3, 3});           // reorder inside each image's group
            float[] got = beams.step(new int[] {10, 11, 12, 13, 14, 15});

            int[][] expected = {{1, 6, 5, 10}, {1, 6, 5, 11}, {1, 6, 3, 12}, {1, 8, 7, 13}, {1, 8, 6, 14}, {1, 8, 6, 15}};
            for (int r = 0; r < expected.length; r++) {
                Decoder alone = model.decoder(images().narrow(0, r / 3, 1).contiguous()); // (1, S, Cv)
                float[] want = alone.prefill(expected[r], 1, 4);
                float[] row = Arrays.copyOfRange(got, r * V, (r + 1) * V);
                for (int i = 0; i < V; i++) assertThat(row[i]).as("row %d, token %d", r, i).isCloseTo(want[i], offset(1e-5f));
            }
        }
    }

    @Test
    void aRowCannotMoveToAnotherImage() {
        TextDecoder model = model();
        try (var ignored = GradMode.noGrad()) {
            Decoder d = model.decoder(images());
            d.prefill(new int[] {1, 1}, G, 1);
            assertThatThrownBy(() -> d.select(new int[] {1, 0})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("context sequence");
        }
    }
}
