package dev.vireo.models.eval;

import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.Box;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.Explanation.Method;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlScorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Grounding on hand-made explanations (which tokens, which method, which layer, the window back to input pixels) and a shapes run. */
class VlGroundingTest {
    private static final List<String> TOKENS = List.of("[CLS]", "a", "red", "circle", "[SEP]");

    @TempDir
    Path dir;

    /** A 4×4 map (16 px model images) hot in one cell. */
    private static float[] hot(int cell) {
        float[] map = new float[16];
        map[cell] = 1;
        return map;
    }

    /**
     * Two fusion layers, one head; the input is 32×32 seen whole (window scale 2). In the last layer
     * Grad-CAM puts the content words at cell 6 (row 1, column 2) and [CLS] at cell 12 (row 3,
     * column 0), the first layer puts everything at cell 0, rollout puts the content words at cell 15
     * and the full rollout at cell 3.
     */
    private static Explanation handMade() {
        float[][] lastLayer = {hot(12), hot(6), hot(6), hot(6), hot(12)};
        float[][] firstLayer = {hot(0), hot(0), hot(0), hot(0), hot(0)};
        float[][] rollout = {hot(12), hot(15), hot(15), hot(15), hot(12)};
        float[][] fullRollout = {hot(12), hot(3), hot(3), hot(3), hot(12)};
        float[][][][] attention = {{firstLayer}, {lastLayer}};
        return new Explanation(TOKENS, 4, 4, 16, new Box(0, 0, 32, 32), 2, attention, rollout, fullRollout, new float[][][] {firstLayer, lastLayer},
                1.0, 0.7);
    }

    @Test
    void theChosenTokensMethodAndLayerGiveTheBoxInInputPixels() {
        Explanation e = handMade();
        var content = new VlGrounding.Settings(Method.GRADCAM, -1, VlGrounding.Words.CONTENT, 0.5);
        // cell 6 of a 4×4 grid on 16 px is x 8..12, y 4..8; twice that on the 32 px input
        assertThat(VlGrounding.locate(e, content, 32, 32).box()).isEqualTo(new Box(16, 8, 24, 16));
        assertThat(VlGrounding.locate(e, new VlGrounding.Settings(Method.GRADCAM, 1, VlGrounding.Words.ALL, 0.5), 32, 32).box())
                .isEqualTo(new Box(16, 8, 24, 16));
        assertThat(VlGrounding.locate(e, new VlGrounding.Settings(Method.GRADCAM, -1, VlGrounding.Words.CLS, 0.5), 32, 32).box())
                .isEqualTo(new Box(0, 24, 8, 32));
        assertThat(VlGrounding.locate(e, new VlGrounding.Settings(Method.ATTENTION, 0, VlGrounding.Words.CONTENT, 0.5), 32, 32).box())
                .isEqualTo(new Box(0, 0, 8, 8));
        assertThat(VlGrounding.locate(e, new VlGrounding.Settings(Method.ROLLOUT, 0, VlGrounding.Words.CONTENT, 0.5), 32, 32).box())
                .isEqualTo(new Box(24, 24, 32, 32));
        assertThat(VlGrounding.locate(e, new VlGrounding.Settings(Method.FULL_ROLLOUT, 0, VlGrounding.Words.CONTENT, 0.5), 32, 32).box())
                .isEqualTo(new Box(24, 0, 32, 8));
        VlGrounding.Located located = VlGrounding.locate(e, content, 32, 32);
        assertThat(located.score()).isEqualTo(1.0);
        assertThat(located.heatMap()).hasSize(16);
    }

    @Test
    void contentWordsLeaveFunctionWordsOutUnlessNothingElseIsLeft() {
        assertThat(VlGrounding.positions(TOKENS, VlGrounding.Words.CLS)).containsExactly(0);
        assertThat(VlGrounding.positions(TOKENS, VlGrounding.Words.ALL)).containsExactly(1, 2, 3);
        assertThat(VlGrounding.positions(TOKENS, VlGrounding.Words.CONTENT)).containsExactly(2, 3);
        assertThat(VlGrounding.positions(List.of("[CLS]", "the", "a", "[SEP]"), VlGrounding.Words.CONTENT)).containsExactly(1, 2);
    }

    @Test
    void evaluationCountsEveryShapeOfEveryScene() throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "red", "green", "blue", "yellow", "purple", "orange",
                "cyan", "circle", "square", "triangle", "star", "diamond", "white"));
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocabTxt(vocab, true);
        VlConfig config = new VlConfig("micro-mid", "mid", 8, new VisionConfig(16, 4, 12, 1, 2, 2.0, "gelu"),
                new BertConfig(20, 8, 2, 2, 16, 10, 2, 1e-12, "gelu", false), 1);
        List<ShapeScene> scenes = ShapesWorld.test(4, ShapesWorld.Config.of(16));
        int shapes = scenes.stream().mapToInt(s -> s.shapes().size()).sum();
        var settings = List.of(VlGrounding.Settings.DEFAULT, new VlGrounding.Settings(Method.ROLLOUT, 0, VlGrounding.Words.CLS, 0.5));
        Map<VlGrounding.Settings, GroundingMetrics.Result> results = VlGrounding.evaluate(new VlScorer(new VlModel(config, 5), tokenizer), scenes, settings);
        assertThat(results.keySet()).containsExactlyElementsOf(settings);
        for (GroundingMetrics.Result r : results.values()) {
            assertThat(r.count()).isEqualTo(shapes);
            assertThat(r.accuracy()).isBetween(0.0, 1.0);
            assertThat(r.threshold()).isEqualTo(0.5);
        }
    }
}
