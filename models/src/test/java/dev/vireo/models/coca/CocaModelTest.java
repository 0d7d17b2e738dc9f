package dev.vireo.models.coca;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.generate.Decoder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The CoCa model on a tiny random config: its outputs' shapes; teacher forcing gives the logits that
 * cached decoding gives one token at a time; the [CLS]-like token changes no caption logit before it;
 * the text embedding reads the caption alone (not the padding after it, not the image).
 */
class CocaModelTest {
    static final int V = 40, END = 3, BEGIN = 2;

    static CocaConfig micro() {
        return new CocaConfig("micro-coca", new VisionConfig(16, 8, 16, 1, 2, 2.0, "gelu"),
                new BertConfig(V, 16, 3, 2, 32, 16, 0, 1e-12, "gelu", false), 1, 4, 2, 8);
    }

    private static Tensor images(int b) {
        return Tensor.randn(new Rng(9), 0f, 1f, b, 3, 16, 16); // (B, 3, S, S)
    }

    @Test
    void shapesOfEveryOutput() {
        CocaModel model = new CocaModel(micro(), 7);
        int[] ids = {BEGIN, 10, 11, END, 0, BEGIN, 12, 13, 14, END};
        try (var ignored = GradMode.noGrad()) {
            CocaModel.ImageSide side = model.encode(images(2));
            assertThat(side.features().shape()).containsExactly(2, 8);
            assertThat(side.captionTokens().shape()).containsExactly(2, 4, 16);
            CocaModel.Outputs out = model.forward(images(2), ids, 2, 5, END);
            assertThat(out.imageFeatures().shape()).containsExactly(2, 8);
            assertThat(out.textFeatures().shape()).containsExactly(2, 8);
            assertThat(out.logits().shape()).containsExactly(2, 5, V);
            assertThat(model.imageTokens(images(2)).shape()).containsExactly(2, 4, 16);
            assertThat(model.encodeText(ids, 2, 5, END).shape()).containsExactly(2, 8);
        }
    }

    @Test
    void teacherForcingEqualsCachedDecodingTokenByToken() {
        CocaModel model = new CocaModel(micro(), 7);
        int[][] rows = {{BEGIN, 7, 30, 9, 21}, {BEGIN, 4, 4, 25, 6}};
        int t = 5;
        try (var ignored = GradMode.noGrad()) {
            Tensor tokens = model.imageTokens(images(2)); // (2, N, Cv)
            int[] flat = new int[2 * t];
            for (int r = 0; r < 2; r++) System.arraycopy(rows[r], 0, flat, r * t, t);
            float[] forced = model.logits(flat, 2, t, tokens).toArray(); // (2, T, V)
            Decoder d = model.decoder(tokens);
            float[] step = d.prefill(new int[] {BEGIN, BEGIN}, 2, 1);
            for (int p = 0; p < t; p++) {
                if (p > 0) step = d.step(new int[] {rows[0][p], rows[1][p]});
                for (int r = 0; r < 2; r++) {
                    for (int v = 0; v < V; v++) {
                        assertThat(step[r * V + v]).as("row %d position %d token %d", r, p, v)
                                .isCloseTo(forced[(r * t + p) * V + v], offset(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void theClsTokenChangesNoCaptionLogitBeforeIt() {
        CocaModel model = new CocaModel(micro(), 7);
        int[] ids = {BEGIN, 10, 11, END, 0, 0, BEGIN, 12, 13, 14, 15, END};
        try (var ignored = GradMode.noGrad()) {
            Tensor pixels = images(2);
            float[] joint = model.forward(pixels, ids, 2, 6, END).logits().toArray(); // (2, T, V), cls at each end
            float[] plain = model.logits(ids, 2, 6, model.imageTokens(pixels)).toArray();
            int[] ends = {3, 5};
            for (int r = 0; r < 2; r++) {
                for (int p = 0; p < ends[r]; p++) {
                    for (int v = 0; v < V; v++) assertThat(joint[(r * 6 + p) * V + v]).isCloseTo(plain[(r * 6 + p) * V + v], offset(1e-5f));
                }
            }
        }
    }

    @Test
    void theTextEmbeddingReadsTheCaptionAloneAndAgreesWithTraining() {
        CocaModel model = new CocaModel(micro(), 7);
        try (var ignored = GradMode.noGrad()) {
            float[] alone = model.encodeText(new int[] {BEGIN, 10, 11, END}, 1, 4, END).toArray();
            float[] padded = model.encodeText(new int[] {BEGIN, 10, 11, END, 0, 0, BEGIN, 12, 13, 14, 15, END}, 2, 6, END).toArray();
            float[] other = model.encodeText(new int[] {BEGIN, 10, 12, END}, 1, 4, END).toArray();
            float[] trained = model.forward(images(2), new int[] {BEGIN, 10, 11, END, 0, 0, BEGIN, 12, 13, 14, 15, END}, 2, 6, END)
                    .textFeatures().toArray();
            for (int i = 0; i < 8; i++) {
                assertThat(padded[i]).isCloseTo(alone[i], offset(1e-5f));
                assertThat(trained[i]).isCloseTo(padded[i], offset(1e-5f));
                assertThat(trained[8 + i]).isCloseTo(padded[8 + i], offset(1e-5f));
            }
            assertThat(Arrays.equals(alone, other)).isFalse();
        }
    }

    @Test
    void endsAreTheFirstEndTokenOrTheLastPosition() {
        assertThat(CocaTextDecoder.ends(new int[] {BEGIN, 5, END, 0, BEGIN, 5, 6, 7}, 2, 4, END)).containsExactly(2, 3);
    }
}
