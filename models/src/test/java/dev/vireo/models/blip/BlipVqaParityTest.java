package dev.vireo.models.blip;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parity with transformers 5.18 on the tiny random {@code BlipForQuestionAnswering} of
 * {@code src/test/resources/blipcap/make_tiny_blip_vqa.py}: three images with three questions of
 * unequal length in one padded batch give the processor's ids, the decoder's first-step logits
 * within 1e-4 of transformers' float64 ones (the question encoder's padded positions included, as
 * transformers' decoder reads them), and exactly the ids and answers of generate under greedy and
 * beam search settings.
 */
class BlipVqaParityTest {
    private static final double LOGIT_TOLERANCE = 1e-4;

    private static Map<String, Object> golden;
    private static BlipQuestionAnswerer answerer;
    private static List<RgbImage> images;
    private static List<String> questions;

    @BeforeAll
    static void load() throws IOException {
        golden = Fixtures.json(BlipVqaParityTest.class, "/blipcap/blip_vqa_golden.json");
        answerer = BlipQuestionAnswerer.load(Fixtures.path(BlipVqaParityTest.class, "/blipcap/tiny_blip_vqa/config.json").getParent());
        images = new ArrayList<>();
        Path imageFolder = BlipCaptionParityTest.folder();
        for (Object name : list(golden.get("images"))) images.add(ImageDecoder.decode(imageFolder.resolve(Fixtures.string(name))));
        questions = list(golden.get("questions")).stream().map(Fixtures::string).toList();
    }

    @AfterAll
    static void close() {
        answerer.close();
    }

    @Test
    void questionIdsAndFirstLogitsAreTransformers() {
        TokenBatch tokens = answerer.processor().tokenize(questions);
        List<Object> ids = list(golden.get("input_ids")), first = list(golden.get("first_logits"));
        try (var ignored = GradMode.noGrad()) {
            BlipVqaModel model = answerer.model();
            Tensor imageStates = model.imageStates(answerer.processor().pixelValues(images)); // (B, S, Cv)
            int b = tokens.batch(), t = tokens.length();
            float[] mask = new float[b * t];
            for (int i = 0; i < mask.length; i++) mask[i] = tokens.attentionMask()[i];
            Tensor states = model.questionStates(tokens.ids(), Tensor.of(mask, b, t), b, t, imageStates); // (B, T, C)
            int[] start = new int[b];
            Arrays.fill(start, model.config().bosId());
            float[] logits = model.decoder().decoder(states).prefill(start, b, 1);
            int v = model.config().blip().text().vocabSize();
            for (int i = 0; i < b; i++) {
                assertThat(tokens.row(i)).containsExactly(Fixtures.ints(ids.get(i)));
                float[] want = Fixtures.floats(first.get(i));
                double worst = 0;
                for (int k = 0; k < v; k++) worst = Math.max(worst, Math.abs(logits[i * v + k] - want[k]));
                assertThat(worst).as("largest first-step logit difference, question %d", i).isLessThanOrEqualTo(LOGIT_TOLERANCE);
            }
        }
    }

    @Test
    void everyRunGivesTransformersIdsAndAnswers() {
        for (Object o : list(golden.get("runs"))) {
            Map<String, Object> run = Fixtures.object(o);
            GenerationConfig settings = BlipCaptionParityTest.settings(Fixtures.object(run.get("settings")));
            int[][] ids = answerer.answerIds(images, questions, settings);
            List<Answer> answers = answerer.answer(images, questions, 0, settings);
            List<Object> wantIds = list(run.get("ids")), wantAnswers = list(run.get("answers"));
            for (int i = 0; i < images.size(); i++) {
                assertThat(ids[i]).as("%s, question %d", run.get("name"), i).containsExactly(Fixtures.ints(wantIds.get(i)));
                assertThat(answers.get(i).answer()).as("%s, question %d", run.get("name"), i).isEqualTo(Fixtures.string(wantAnswers.get(i)));
                assertThat(answers.get(i).top()).isEmpty();
            }
        }
    }

    @Test
    void mismatchedListsAndOtherHeadsAreRefused() {
        assertThatThrownBy(() -> answerer.answer(images, questions.subList(0, 1), 0, GenerationConfig.greedy(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("questions");
        assertThatThrownBy(() -> BlipQuestionAnswerer.load(BlipCaptionParityTest.folder())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not BlipForQuestionAnswering").hasMessageNotContaining("\n");
    }
}
