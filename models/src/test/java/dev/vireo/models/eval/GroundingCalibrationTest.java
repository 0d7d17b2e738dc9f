package dev.vireo.models.eval;

import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.text.WordPieceTokenizer;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Calibration picks the candidate that grounds best, keeps it in the run folder, and refuses a damaged file in one line. */
class GroundingCalibrationTest {
    @TempDir
    Path dir;

    @Test
    void candidatesCoverEveryMethodLayerWordSetAndThreshold() {
        List<VlGrounding.Settings> c = GroundingCalibration.candidates(2);
        // attention and Grad-CAM in 2 layers, each rollout once; 3 word sets; 5 thresholds
        assertThat(c).hasSize((2 + 2 + 1 + 1) * 3 * 5).doesNotHaveDuplicates();
        assertThat(c).contains(VlGrounding.Settings.DEFAULT, new VlGrounding.Settings(Method.GRADCAM, 1, VlGrounding.Words.CLS, 0.6));
        assertThat(GroundingCalibration.validationScenes(16)).hasSize(GroundingCalibration.VALIDATION_TO - GroundingCalibration.VALIDATION_FROM)
                .first().isEqualTo(ShapesWorld.test(GroundingCalibration.VALIDATION_FROM + 1, ShapesWorld.Config.of(16)).getLast());
    }

    @Test
    void theChoiceIsTheBestCandidateAndTheRunFolderKeepsIt() throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "red", "green", "blue", "yellow", "purple", "orange",
                "cyan", "circle", "square", "triangle", "star", "diamond", "white"));
        VlConfig config = new VlConfig("micro-mid", "mid", 8, new VisionConfig(16, 4, 12, 1, 2, 2.0, "gelu"),
                new BertConfig(20, 8, 2, 2, 16, 10, 2, 1e-12, "gelu", false), 1);
        VlScorer scorer = new VlScorer(new VlModel(config, 5), WordPieceTokenizer.fromVocabTxt(vocab, true));
        List<ShapeScene> scenes = ShapesWorld.test(6, ShapesWorld.Config.of(16));
        GroundingCalibration.Calibrated chosen = GroundingCalibration.calibrate(scorer, scenes);
        Map<VlGrounding.Settings, GroundingMetrics.Result> all = VlGrounding.evaluate(scorer, scenes, GroundingCalibration.candidates(1));
        for (GroundingMetrics.Result r : all.values()) assertThat(chosen.validation().accuracy()).isGreaterThanOrEqualTo(r.accuracy());
        assertThat(chosen.validation().accuracy()).isEqualTo(all.get(chosen.settings()).accuracy());
        assertThat(chosen.scenes()).isEqualTo(6);

        assertThat(GroundingCalibration.read(dir)).isEmpty();
        GroundingCalibration.write(dir, chosen);
        assertThat(GroundingCalibration.read(dir)).contains(chosen.settings());
    }

    @Test
    void aDamagedFileIsOneLineNamingIt() throws Exception {
        Path file = dir.resolve(GroundingCalibration.FILE);
        for (String[] bad : new String[][] {
                {"{\"method\": \"rollout\", \"layer\": 0, \"words\": \"all\"", "not valid JSON"},
                {"[1, 2]", "not a JSON object"},
                {"{\"method\": \"saliency\", \"layer\": 0, \"words\": \"all\", \"threshold\": 0.4}", "not one of attention, rollout, gradcam"},
                {"{\"method\": \"rollout\", \"layer\": 0.5, \"words\": \"all\", \"threshold\": 0.4}", "'layer' must be an integer"},
                {"{\"method\": \"rollout\", \"layer\": 0, \"words\": \"nouns\", \"threshold\": 0.4}", "not one of cls, all, content"},
                {"{\"method\": \"rollout\", \"layer\": 0, \"words\": \"all\", \"threshold\": 7}", "fraction must be in [0, 1]"},
                {"{\"method\": \"rollout\", \"layer\": 0, \"words\": \"all\"}", "'threshold' must be a number"}}) {
            Files.writeString(file, bad[0]);
            assertThatThrownBy(() -> GroundingCalibration.read(dir)).as(bad[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(bad[1]).hasMessageNotContaining("\n");
        }
        Files.write(file, new byte[] {0, 0, 0, '{', '"', 'l', 'e', 't'}); // what bench fuzz sent: Jackson reads UTF-32, finds no character
        assertThatThrownBy(() -> GroundingCalibration.read(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        Files.write(file, new byte[70_000]);
        assertThatThrownBy(() -> GroundingCalibration.read(dir)).hasMessageContaining("more than");
    }
}
