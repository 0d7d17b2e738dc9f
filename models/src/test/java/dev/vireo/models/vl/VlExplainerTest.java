package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.data.Box;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** VlExplainer on micro models: its maps' shapes and sums, the match it explains, a model left as it was, and what it refuses. */
class VlExplainerTest {
    @TempDir
    Path dir;

    private WordPieceTokenizer tokenizer() throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "red", "circle", "blue", "square", "left", "of"));
        return WordPieceTokenizer.fromVocabTxt(vocab, true);
    }

    @Test
    void mapsHaveTheirShapesAndTheMatchIsTheScorers() throws Exception {
        WordPieceTokenizer tokenizer = tokenizer();
        for (String fusion : new String[] {"mid", "early"}) {
            VlModel model = new VlModel(VlModelTest.micro(fusion), 41);
            Tensor pixels = Tensor.randn(new Rng(42), 0f, 1f, 1, 3, 8, 8); // (1, 3, S, S)
            Explanation e = new VlExplainer(model, tokenizer).explain(pixels, "a blue square");
            int fusionLayers = fusion.equals("mid") ? 1 : 2;
            assertThat(e.tokens()).containsExactly("[CLS]", "a", "blue", "square", "[SEP]");
            assertThat(e.fusionLayers()).isEqualTo(fusionLayers);
            assertThat(e.firstFusionLayer()).isEqualTo(2 - fusionLayers);
            assertThat(e.heads()).isEqualTo(2);
            assertThat(e.cells()).isEqualTo(4);
            assertThat(e.window()).isEqualTo(new Box(0, 0, 8, 8));
            for (float[][][] layer : e.attention()) {
                for (float[][] head : layer) {
                    for (float[] row : head) {
                        double sum = 0;
                        for (float v : row) sum += v;
                        // the patches' share: the class token (and for early fusion the text) take the rest
                        assertThat(sum).isBetween(0.0, 1.0 + 1e-6);
                    }
                }
            }
            for (float[] row : e.rollout()) for (float v : row) assertThat(v).isBetween(0f, 1f);
            for (float[] row : e.fullRollout()) for (float v : row) assertThat(v).isBetween(0f, 1f);
            for (float[][] layer : e.gradCam()) for (float[] row : layer) for (float v : row) assertThat(v).isGreaterThanOrEqualTo(0f);
            VlScorer scorer = new VlScorer(model, tokenizer);
            float[] fast = scorer.matchProbabilities(scorer.encodeImages(pixels), scorer.encodeTexts(List.of("a blue square")), new int[] {0}, new int[] {0});
            assertThat(e.matchProbability()).as(fusion + ": the explain path's match is the fast path's").isCloseTo(fast[0], offset(1e-5));
            float[] heads = e.map(Explanation.Method.ATTENTION, 0, new int[] {2});
            assertThat(heads[1]).isCloseTo((e.attention()[0][0][2][1] + e.attention()[0][1][2][1]) / 2, offset(1e-6f));
        }
    }

    @Test
    void theModelIsLeftAsItWas() throws Exception {
        VlModel model = new VlModel(VlModelTest.micro("mid"), 43);
        model.textLayer(1).crossAttention().child("self").freeze();
        Tensor pixels = Tensor.randn(new Rng(44), 0f, 1f, 1, 3, 8, 8); // (1, 3, S, S)
        VlScorer scorer = new VlScorer(model, tokenizer());
        float[] before = scorer.matchProbabilities(scorer.encodeImages(pixels), scorer.encodeTexts(List.of("a red circle")), new int[] {0}, new int[] {0});
        new VlExplainer(model, tokenizer()).explain(pixels, "a red circle");
        float[] after = scorer.matchProbabilities(scorer.encodeImages(pixels), scorer.encodeTexts(List.of("a red circle")), new int[] {0}, new int[] {0});
        assertThat(after).as("the fast path, bit for bit, once the probes are gone").containsExactly(before);
        model.namedParameters().forEach((name, p) -> {
            assertThat(p.value().grad()).as(name + " got no gradient").isNull();
            assertThat(p.trainable()).as(name + " trainable as before").isEqualTo(!name.startsWith("text_model.encoder.layer.1.crossattention.self."));
        });
    }

    @Test
    void anImageOfAnotherShapeIsSeenThroughItsCentreWindow() throws Exception {
        VlModel model = new VlModel(VlModelTest.micro("mid"), 45);
        RgbImage wide = new RgbImage(32, 16, new byte[32 * 16 * 3]);
        Explanation e = new VlExplainer(model, tokenizer()).explain(wide, "a red circle");
        assertThat(e.window()).isEqualTo(new Box(8, 0, 24, 16)); // 32x16 → 16x8, the centre 8x8: x 4..12 of 16, times 2
        assertThat(e.toInput(new Box(0, 4, 4, 8))).isEqualTo(new Box(8, 8, 16, 16));
    }

    @Test
    void refusesLateFusionAndTextsOfUnknownWords() throws Exception {
        WordPieceTokenizer tokenizer = tokenizer();
        assertThatThrownBy(() -> new VlExplainer(new VlModel(VlModelTest.micro("late"), 46), tokenizer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fuses late");
        VlExplainer explainer = new VlExplainer(new VlModel(VlModelTest.micro("mid"), 47), tokenizer);
        Tensor pixels = Tensor.zeros(1, 3, 8, 8); // (1, 3, S, S)
        assertThatThrownBy(() -> explainer.explain(pixels, "zebra giraffe")).hasMessageContaining("every piece is [UNK]");
        assertThatThrownBy(() -> explainer.explain(pixels, "  ")).hasMessageContaining("it is empty");
        assertThatThrownBy(() -> explainer.explain(Tensor.zeros(1, 3, 16, 16), "a red circle")).hasMessageContaining("expected [1, 3, 8, 8]");
    }

    @Test
    void rolloutOfOneCrossStepGivesHalfTheAttentionToTheImage() {
        // one text token, two image tokens; the text token attends 1/4 and 3/4 to the image tokens
        double[][] cross = AttentionRollout.crossStep(new double[][] {{0.25, 0.75}}, 1, 2);
        double[][] r = AttentionRollout.rollout(List.<double[][]>of(cross), 3);
        assertThat(r[0]).containsExactly(0.5, 0.125, 0.375);
        assertThat(r[1]).containsExactly(0, 1, 0);
        // then a second text token and a self-attention step that copies token 1 into token 0
        double[][] cross2 = AttentionRollout.crossStep(new double[][] {{0.5, 0.5}, {0, 1}}, 2, 2);
        double[][] self = AttentionRollout.selfStep(new double[][] {{0, 1}, {0, 1}}, 2, 2);
        double[][] r2 = AttentionRollout.rollout(List.of(cross2, self), 4);
        // token 1 after cross: [0, .5, 0, .5]; token 0: [.5, 0, .25, .25]; after self, token 0 = ½ own + ½ token 1
        assertThat(r2[0]).containsExactly(0.25, 0.25, 0.125, 0.375);
        for (double[] row : r2) assertThat(row[0] + row[1] + row[2] + row[3]).isCloseTo(1.0, offset(1e-12));
    }

    @Test
    void theFullRolloutCarriesATowerTokensShareBackToThePatchesItDrewFrom() {
        // one text token, image tokens [class, p1, p2]; the tower's one layer makes p1 copy p2; the text then attends only to p1
        double[][] tower = AttentionRollout.imageStep(new double[][] {{1, 0, 0}, {0, 0, 1}, {0, 0, 1}}, 1, 3);
        double[][] cross = AttentionRollout.crossStep(new double[][] {{0, 1, 0}}, 1, 3);
        double[][] plain = AttentionRollout.rollout(List.<double[][]>of(cross), 4);
        double[][] full = AttentionRollout.rollout(List.of(tower, cross), 4);
        assertThat(plain[0]).containsExactly(0.5, 0, 0.5, 0);    // the text's image half sits on p1 as the tower left it
        assertThat(full[0]).containsExactly(0.5, 0, 0.25, 0.25); // p1 held half of itself and half of p2
        assertThat(tower[0]).containsExactly(1, 0, 0, 0);        // the text row is untouched by the tower
    }

    @Test
    void methodsParseByName() {
        assertThat(Explanation.Method.parse("gradcam")).isEqualTo(Explanation.Method.GRADCAM);
        assertThat(Explanation.Method.parse("full-rollout")).isEqualTo(Explanation.Method.FULL_ROLLOUT);
        assertThat(Explanation.Method.FULL_ROLLOUT.id()).isEqualTo("full-rollout");
        assertThatThrownBy(() -> Explanation.Method.parse("saliency")).hasMessageContaining("attention, rollout, gradcam");
    }
}
