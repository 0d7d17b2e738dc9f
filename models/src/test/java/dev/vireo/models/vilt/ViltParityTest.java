package dev.vireo.models.vilt;

import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.vqa.VisualQuestionAnswerer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * Parity with transformers 5.18 on the tiny random {@code ViltForQuestionAnswering} that
 * {@code src/test/resources/vilt/make_tiny_vilt.py} saved with its processor: the questions' token
 * ids exactly; the pixel values of three PNGs of different aspect ratios (resized to 16x48, 48x16
 * and 32x32) within 1e-5, and the pixel mask of the three padded together exactly; and for every
 * image x question pair, answered in one padded batch (patch grids 2x6, 6x2 and 4x4: shorter images
 * filled up with masked patches, the position grid resized to each), the logits within 1e-4 of
 * transformers' float64 results and the pipeline's top answers with their sigmoid scores. A pair
 * answered alone gets the logits it gets in the batch; a question past the 16 positions is cut there.
 */
class ViltParityTest {
    private static final double PIXEL_TOLERANCE = 1e-5;
    private static final double LOGIT_TOLERANCE = 1e-4;

    private static Map<String, Object> golden;
    private static ViltAnswerer answerer;
    private static List<RgbImage> images;
    private static List<String> questions;

    static Path folder() {
        return Fixtures.path(ViltParityTest.class, "/vilt/tiny_vilt/config.json").getParent();
    }

    @BeforeAll
    static void load() throws IOException {
        golden = Fixtures.json(ViltParityTest.class, "/vilt/vilt_golden.json");
        answerer = ViltAnswerer.load(folder());
        images = new ArrayList<>();
        for (Object name : list(golden.get("images"))) images.add(ImageDecoder.decode(folder().resolve(Fixtures.string(name))));
        questions = list(golden.get("questions")).stream().map(Fixtures::string).toList();
    }

    @AfterAll
    static void close() {
        answerer.close();
    }

    @Test
    void tokenIdsAreTheProcessors() {
        TokenBatch batch = answerer.processor().tokenize(questions);
        List<Object> ids = list(golden.get("input_ids")), mask = list(golden.get("attention_mask"));
        assertThat(batch.batch()).isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(batch.row(i)).as("ids of '%s'", questions.get(i)).containsExactly(Fixtures.ints(ids.get(i)));
            int[] m = Fixtures.ints(mask.get(i));
            for (int j = 0; j < m.length; j++) assertThat(batch.attentionMask()[i * batch.length() + j]).isEqualTo(m[j]);
        }
    }

    @Test
    void theConfigCountsTheWeightsItLoads() {
        ViltConfig config = answerer.config();
        assertThat(config.parameters()).isEqualTo((double) answerer.model().parameterCount());
        assertThat(config.labels()).containsExactly("yes", "no", "2", "red", "blue", "cat", "dog", "on the mat", "3", "sky");
        assertThat(config.grid()).isEqualTo(4);
        assertThat(config.maxImageLength()).isEqualTo(-1);
        assertThat(answerer.processor().maxLength()).isEqualTo(16);
        assertThat(answerer.processor().images().sizeDivisor()).isEqualTo(16);
    }

    @Test
    void pixelValuesAreTheImageProcessors() {
        List<Object> expected = list(golden.get("pixel_values")), shapes = list(golden.get("pixel_shapes"));
        for (int i = 0; i < images.size(); i++) {
            int[] shape = Fixtures.ints(shapes.get(i));
            int[] hw = answerer.processor().images().resizedSize(images.get(i).height(), images.get(i).width());
            assertThat(hw).containsExactly(shape[1], shape[2]);
            float[] want = Fixtures.floats(expected.get(i));
            float[] got = answerer.processor().pixelValues(images.get(i));
            assertThat(got).hasSameSizeAs(want);
            double max = 0;
            for (int k = 0; k < got.length; k++) max = Math.max(max, Math.abs(got[k] - want[k]));
            assertThat(max).as("max |pixel diff| of %s", list(golden.get("images")).get(i)).isLessThanOrEqualTo(PIXEL_TOLERANCE);
        }
    }

    @Test
    void aBatchIsPaddedAndMaskedAsTheImageProcessorPadsIt() {
        ViltImageProcessor.Pixels batch = answerer.processor().pixelValues(images);
        assertThat(batch.values().shape()).containsExactly(Fixtures.ints(golden.get("batch_pixel_shape")));
        List<Object> masks = list(golden.get("batch_pixel_mask"));
        for (int b = 0; b < images.size(); b++) {
            int[] want = list(masks.get(b)).stream().flatMapToInt(row -> java.util.Arrays.stream(Fixtures.ints(row))).toArray();
            assertThat(batch.mask(b)).as("pixel mask of image %d", b).containsExactly(want);
        }
        float[] alone = answerer.processor().pixelValues(images.getFirst()); // (3, 16, 48) inside the (3, 48, 48) padded
        float[] padded = batch.values().toArray();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) assertThat(padded[(c * 48 + y) * 48 + 5]).isEqualTo(alone[(c * 16 + y) * 48 + 5]);
            assertThat(padded[(c * 48 + 30) * 48 + 5]).as("padding is zero").isZero();
        }
    }

    @Test
    void logitsAndTopAnswersAreTransformers() {
        List<RgbImage> pairImages = new ArrayList<>();
        List<String> pairQuestions = new ArrayList<>();
        for (RgbImage image : images) {
            for (String q : questions) {
                pairImages.add(image);
                pairQuestions.add(q);
            }
        }
        float[][] logits = answerer.logits(pairImages, pairQuestions);
        List<Object> want = list(golden.get("logits"));
        double max = 0;
        for (int i = 0; i < want.size(); i++) {
            double[] row = list(want.get(i)).stream().mapToDouble(Fixtures::number).toArray();
            for (int j = 0; j < row.length; j++) max = Math.max(max, Math.abs(logits[i][j] - row[j]));
        }
        assertThat(max).as("max |logit diff|").isLessThanOrEqualTo(LOGIT_TOLERANCE);

        List<Answer> answers = answerer.answer(pairImages, pairQuestions, 5, GenerationConfig.greedy(20));
        List<Object> top = list(golden.get("top"));
        for (int i = 0; i < top.size(); i++) {
            List<Object> expected = list(top.get(i));
            Answer a = answers.get(i);
            assertThat(a.top()).hasSize(5);
            assertThat(a.answer()).isEqualTo(Fixtures.string(Fixtures.object(expected.getFirst()).get("answer")));
            for (int k = 0; k < expected.size(); k++) {
                Map<String, Object> e = Fixtures.object(expected.get(k));
                assertThat(a.top().get(k).answer()).as("pair %d, answer %d", i, k).isEqualTo(Fixtures.string(e.get("answer")));
                assertThat(a.top().get(k).score()).isCloseTo(Fixtures.number(e.get("score")), offset(LOGIT_TOLERANCE));
            }
        }
    }

    @Test
    void aPairAloneGetsTheLogitsItGetsInAPaddedBatch() {
        float[][] batch = answerer.logits(List.of(images.get(2), images.get(0), images.get(1)),
                List.of(questions.get(4), questions.get(3), questions.get(0)));
        for (int i = 0; i < 3; i++) {
            int image = new int[] {2, 0, 1}[i], question = new int[] {4, 3, 0}[i];
            float[] alone = answerer.logits(List.of(images.get(image)), List.of(questions.get(question)))[0];
            for (int j = 0; j < alone.length; j++) assertThat(alone[j]).isCloseTo(batch[i][j], offset(1e-5f));
        }
        float[] cut = answerer.logits(List.of(images.get(0)), List.of("what ".repeat(60)))[0]; // cut at the 16 positions
        assertThat(cut).containsExactly(answerer.logits(List.of(images.get(0)), List.of("what ".repeat(14)))[0]);
        assertThat(answerer.answer(List.of(), List.of(), 3, null)).isEmpty();
        assertThat(answerer.answer(List.of(images.getFirst()), List.of("sky"), 0, null).getFirst().top()).isEmpty();
        assertThat(answerer.answer(List.of(images.getFirst()), List.of("sky"), 50, null).getFirst().top()).hasSize(10);
        assertThatThrownBy(() -> answerer.logits(List.of(images.getFirst()), List.of())).hasMessageContaining("1 images for 0 questions");
    }

    @Test
    void theResizeFollowsTransformersRounding() {
        ViltImageProcessor p = answerer.processor().images(); // shortest edge 32, long side capped at int(1333/800·32) = 53, multiples of 16
        assertThat(p.resizedSize(150, 200)).containsExactly(32, 32);   // 32 x 42.7 → 43 → 32
        assertThat(p.resizedSize(30, 90)).containsExactly(16, 48);     // 32 x 96 capped to 17.7 x 53 → 18 x 53 → 16 x 48
        assertThat(p.resizedSize(100, 100)).containsExactly(32, 32);
        assertThatThrownBy(() -> p.resizedSize(1, 200)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too elongated");
        assertThat(ViltEmbeddings.validCells(16, 48, 6)).isEqualTo(2);  // 16 of 48 rows: cells 0 and 1 (rows 0 and 8)
        assertThat(ViltEmbeddings.validCells(48, 48, 6)).isEqualTo(6);
        assertThat(ViltEmbeddings.validCells(20, 48, 6)).isEqualTo(3);  // a cell whose top row is the image's counts
    }
}
