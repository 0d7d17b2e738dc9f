package dev.vireo.models.bert;

import dev.vireo.engine.autograd.GradCheck;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.config.VlConfig.LayerKind;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.VlExplainer;
import dev.vireo.models.vl.VlModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Grad-CAM's gradient against finite differences on micro models with two fusion layers: ∂(ITM
 * match logit)/∂A, A a fusion layer's attention probabilities, nudged through a probe's offset, so
 * the first layer's gradient also flows through the second layer's attention.
 */
class GradCamGradTest {
    @TempDir
    Path dir;

    /** Two text layers, both fusing: cross-attention (mid) or joint attention (early); 8 px images of 4 px patches, 2×2 patches. */
    static VlConfig micro(String fusion) {
        return new VlConfig("micro-" + fusion, fusion, 8, new VisionConfig(8, 4, 12, fusion.equals("early") ? 0 : 1, 2, 2.0, "gelu"),
                new BertConfig(12, 8, 2, 2, 16, 10, 2, 1e-12, "gelu", false), 2);
    }

    private WordPieceTokenizer tokenizer() throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "red", "circle", "blue", "square", "left", "of"));
        return WordPieceTokenizer.fromVocabTxt(vocab, true);
    }

    /** The probabilities that Grad-CAM reads in fusion layer f: cross-attention, or the joint attention of early fusion. */
    private static BertAttention fused(VlModel model, int layer) {
        BertLayer l = model.textLayer(layer);
        return model.config().layerKind(layer) == LayerKind.CROSS ? l.crossAttention() : l.attention();
    }

    /** The match logit with {@code nudge} added to the probabilities of {@code target}, no graph. */
    private static double matchLogit(VlModel model, BertAttention target, Tensor nudge, Tensor words, Tensor image) {
        target.probe(new AttentionProbe(nudge));
        try (var ignored = GradMode.noGrad()) {
            return model.matchLogits(words, null, image).toArray()[1];
        } finally {
            target.probe(null);
        }
    }

    @Test
    void probabilityGradientsMatchFiniteDifferences() {
        for (String fusion : new String[] {"mid", "early"}) {
            VlModel model = new VlModel(micro(fusion), 21);
            Tensor pixels = Tensor.randn(new Rng(22), 0f, 1f, 1, 3, 8, 8); // (1, 3, S, S)
            int[] ids = {2, 5, 6, 7, 3};
            Tensor image, words;
            try (var ignored = GradMode.noGrad()) {
                image = model.imageTokens(pixels);         // (1, 5, 12)
                words = model.textTokens(ids, null, 1, 5); // (1, 5, 8)
            }
            int keys = fusion.equals("mid") ? 5 : 10, queries = fusion.equals("mid") ? 5 : 10;
            BertAttention target = fused(model, 0);
            Tensor offset = Tensor.zeros(1, 2, queries, keys).requiresGrad(true); // (1, H, T', S')
            GradCheck.Result r = GradCheck.check(in -> {
                target.probe(new AttentionProbe(in[0]));
                try {
                    return model.matchLogits(words, null, image).narrow(1, 1, 1); // (1, 1)
                } finally {
                    target.probe(null);
                }
            }, new Tensor[] {offset}, 1e-2, 2e-3, 2e-2);
            assertThat(r.ok()).as(fusion + ": " + r.worst()).isTrue();
        }
    }

    @Test
    void gradCamIsAttentionTimesThePositiveFiniteDifferenceGradient() throws Exception {
        WordPieceTokenizer tokenizer = tokenizer();
        for (String fusion : new String[] {"mid", "early"}) {
            VlModel model = new VlModel(micro(fusion), 31);
            Tensor pixels = Tensor.randn(new Rng(32), 0f, 1f, 1, 3, 8, 8); // (1, 3, S, S)
            Explanation e = new VlExplainer(model, tokenizer).explain(pixels, "a red circle");
            int[] ids = {2, 5, 6, 7, 3};
            assertThat(e.tokens()).containsExactly("[CLS]", "a", "red", "circle", "[SEP]");
            Tensor image, words;
            try (var ignored = GradMode.noGrad()) {
                image = model.imageTokens(pixels);         // (1, 5, 12)
                words = model.textTokens(ids, null, 1, 5); // (1, 5, 8)
            }
            boolean joint = fusion.equals("early");
            int t = 5, s = 5, rows = joint ? t + s : t, cols = joint ? t + s : s, column0 = joint ? t + 1 : 1;
            double eps = 1e-2, scale = 0;
            double[][][] expected = new double[2][t][4];
            for (int f = 0; f < 2; f++) {
                BertAttention target = fused(model, f);
                for (int h = 0; h < 2; h++) {
                    for (int q = 0; q < t; q++) {
                        for (int cell = 0; cell < 4; cell++) {
                            float[] up = new float[2 * rows * cols], down = new float[up.length];
                            int at = (h * rows + q) * cols + column0 + cell;
                            up[at] = (float) eps;
                            down[at] = (float) -eps;
                            double g = (matchLogit(model, target, Tensor.of(up, 1, 2, rows, cols), words, image)
                                    - matchLogit(model, target, Tensor.of(down, 1, 2, rows, cols), words, image)) / (2 * eps);
                            expected[f][q][cell] += e.attention()[f][h][q][cell] * Math.max(0, g) / 2;
                        }
                    }
                }
                for (double[] row : expected[f]) for (double v : row) scale = Math.max(scale, v);
            }
            assertThat(scale).as(fusion + ": some positive gradient").isPositive();
            for (int f = 0; f < 2; f++) {
                for (int q = 0; q < t; q++) {
                    for (int cell = 0; cell < 4; cell++) {
                        assertThat((double) e.gradCam()[f][q][cell]).as(fusion + " layer " + f + " token " + q + " cell " + cell)
                                .isCloseTo(expected[f][q][cell], offset(0.02 * scale + 1e-5));
                    }
                }
            }
        }
    }
}
