package dev.vireo.models.vqa;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.generate.Decoder;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.text.CaptionVocabulary;
import dev.vireo.models.text.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * The generative answerer on small random models: an answer does not depend on how its question's
 * batch was padded (the decoder's cross-attention masks the padding), and teacher-forced logits
 * equal those the cached decoder gives one token at a time over the same padded questions.
 */
class GenerativeVqaModelTest {
    private static final List<String> TEXTS = List.of("what colour is the circle ?", "is there a small red square on the left of the big blue triangle ?",
            "red", "yes", "two");

    @TempDir
    Path dir;

    static VlConfig micro(String fusion) {
        return new VlConfig("micro-" + fusion, fusion, 16, new VisionConfig(16, 8, 16, fusion.equals("early") ? 0 : 1, 2, 2.0, "gelu"),
                new BertConfig(400, 16, 2, 2, 32, 24, 2, 1e-12, "gelu", false), 1);
    }

    private WordPieceTokenizer tokenizer() throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.write(vocab, CaptionVocabulary.build(TEXTS, 400));
        return WordPieceTokenizer.fromVocabTxt(vocab, true);
    }

    private static GenerativeVqaAnswerer answerer(String fusion, WordPieceTokenizer tokenizer) {
        VlConfig config = micro(fusion).withVocabSize(tokenizer.vocabSize());
        GenerativeVqaModel model = new GenerativeVqaModel(config, GenerativeVqaModel.decoderConfig(config, 2), 3);
        model.eval();
        return new GenerativeVqaAnswerer(model, tokenizer);
    }

    @Test
    void anAnswerDoesNotDependOnItsBatchsPadding() throws Exception {
        WordPieceTokenizer tokenizer = tokenizer();
        for (String fusion : new String[] {"mid", "early"}) {
            GenerativeVqaAnswerer answerer = answerer(fusion, tokenizer);
            try (var ignored = GradMode.noGrad()) {
                Tensor images = answerer.model().imageTokens(Tensor.randn(new Rng(4), 0f, 1f, 2, 3, 16, 16)); // (2, S, Cv)
                GenerationConfig greedy = GenerationConfig.greedy(6);
                int[][] alone = answerer.answerIds(images, new int[] {0}, List.of(TEXTS.get(0)), greedy);
                int[][] padded = answerer.answerIds(images, new int[] {1, 0}, List.of(TEXTS.get(1), TEXTS.get(0)), greedy);
                assertThat(padded[1]).as(fusion).startsWith(alone[0]);
                for (int t = alone[0].length; t < padded[1].length; t++) assertThat(padded[1][t]).isEqualTo(tokenizer.sepId()); // pads a finished row
                assertThat(alone[0].length).isGreaterThan(1);
                // the logits themselves, not only their argmax: the short question alone and padded beside a long one
                float[] one = firstLogits(answerer, images, new int[] {0}, List.of(TEXTS.get(0)), tokenizer);
                float[] two = firstLogits(answerer, images, new int[] {1, 0}, List.of(TEXTS.get(1), TEXTS.get(0)), tokenizer);
                float[] second = Arrays.copyOfRange(two, one.length, 2 * one.length);
                for (int v = 0; v < one.length; v++) assertThat(second[v]).as(fusion + " logit " + v).isCloseTo(one[v], offset(1e-5f));
                GenerationConfig beams = new GenerationConfig(6, 0, 3, 1.0, false, false, 50, 1.0, 1.0, 1.0, 0);
                int[][] beamAlone = answerer.answerIds(images, new int[] {0}, List.of(TEXTS.get(0)), beams);
                int[][] beamPadded = answerer.answerIds(images, new int[] {1, 0}, List.of(TEXTS.get(1), TEXTS.get(0)), beams);
                assertThat(beamPadded[1]).as(fusion + " beams").startsWith(beamAlone[0]);
            }
        }
    }

    @Test
    void teacherForcedLogitsEqualCachedSteps() throws Exception {
        WordPieceTokenizer tokenizer = tokenizer();
        GenerativeVqaAnswerer answerer = answerer("mid", tokenizer);
        GenerativeVqaModel model = answerer.model();
        try (var ignored = GradMode.noGrad()) {
            var batch = tokenizer.batch(List.of(TEXTS.get(1), TEXTS.get(0)), 24, true);
            int t = batch.length();
            float[] m = new float[2 * t];
            for (int i = 0; i < m.length; i++) m[i] = batch.attentionMask()[i];
            Tensor images = model.imageTokens(Tensor.randn(new Rng(4), 0f, 1f, 2, 3, 16, 16)); // (2, S, Cv)
            GenerativeVqaModel.Questions q = model.questions(batch.ids(), Tensor.of(m, 2, t), 2, t, images);
            int cls = tokenizer.clsId();
            int[] answers = {cls, 7, 9, 11, cls, 12, 5, 8}; // (2, 4)
            float[] forced = model.answerLogits(answers, 2, 4, q).toArray(); // (2, 4, V)
            int v = model.decoderConfig().vocabSize();
            Decoder cached = model.answerDecoder(q);
            float[] step = cached.prefill(new int[] {cls, cls}, 2, 1);
            for (int p = 0; p < 4; p++) {
                for (int r = 0; r < 2; r++) {
                    for (int k = 0; k < v; k++) {
                        assertThat(step[r * v + k]).as("row " + r + " position " + p).isCloseTo(forced[(r * 4 + p) * v + k], offset(1e-4f));
                    }
                }
                if (p < 3) step = cached.step(new int[] {answers[p + 1], answers[4 + p + 1]});
            }
        }
    }

    @Test
    void refusesLateFusionAndAClassifierConfig() {
        VlConfig late = new VlConfig("late", "late", 16, new VisionConfig(16, 8, 16, 1, 2, 2.0, "gelu"),
                new BertConfig(400, 16, 2, 2, 32, 24, 2, 1e-12, "gelu", false), 0);
        assertThatThrownBy(() -> new GenerativeVqaModel(late, GenerativeVqaModel.decoderConfig(late, 1), 1)).hasMessageContaining("late fusion");
        VlConfig classifier = micro("mid").withAnswerClasses(3);
        assertThatThrownBy(() -> new GenerativeVqaModel(classifier, GenerativeVqaModel.decoderConfig(classifier, 1), 1))
                .hasMessageContaining("no answer classifier");
    }

    @Test
    void theDecoderConfigFileRoundTripsAndBadOnesFailInOneLine() throws Exception {
        BertConfig config = GenerativeVqaModel.decoderConfig(micro("mid"), 3);
        Path file = dir.resolve(GenerativeVqaModel.DECODER_CONFIG);
        Files.writeString(file, GenerativeVqaModel.decoderJson(config));
        assertThat(GenerativeVqaModel.readDecoderConfig(file)).isEqualTo(config);
        Files.writeString(file, "{\"vocabSize\": -4");
        assertThatThrownBy(() -> GenerativeVqaModel.readDecoderConfig(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("answer decoder config ").hasMessageNotContaining("\n");
    }

    /** The decoder's first logits (N·V) for question k about image imageIndex[k]. */
    private static float[] firstLogits(GenerativeVqaAnswerer answerer, Tensor images, int[] imageIndex, List<String> questions, WordPieceTokenizer tokenizer) {
        var batch = tokenizer.batch(questions, 24, true);
        int n = questions.size(), t = batch.length();
        float[] m = new float[n * t];
        boolean padded = false;
        for (int i = 0; i < m.length; i++) {
            m[i] = batch.attentionMask()[i];
            padded |= m[i] == 0;
        }
        GenerativeVqaModel model = answerer.model();
        GenerativeVqaModel.Questions q = model.questions(batch.ids(), padded ? Tensor.of(m, n, t) : null, n, t, images.indexSelect(0, imageIndex));
        int[] start = new int[n];
        Arrays.fill(start, tokenizer.clsId());
        return model.answerDecoder(q).prefill(start, n, 1);
    }
}
