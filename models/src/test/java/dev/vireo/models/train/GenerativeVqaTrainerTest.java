package dev.vireo.models.train;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.VqaEvaluator;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vqa.GenerativeVqaAnswerer;
import dev.vireo.models.vqa.GenerativeVqaModel;
import dev.vireo.models.vqa.VisualQuestionAnswerer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BLIP's generative head on the fusion encoder: a tiny model overfits a few scenes' answers and its
 * run folder answers them, resume is bit-exact, the answer decoder can start from a captioner's
 * (rows copied token by token), and a run of one head does not resume as the other.
 */
class GenerativeVqaTrainerTest {
    private static final ShapesWorld.Config WORLD = new ShapesWorld.Config(16, 1, 2);

    @TempDir
    Path dir;

    /** One question of each scene (each scene a different kind of question, in turn): what a tiny model can learn by heart in a few steps. */
    private record OneQuestionEach(ShapesQuestions all) implements QuestionAnswerData {
        private int pick(int image) {
            return image % all.captions(image).size();
        }

        @Override
        public int size() {
            return all.size();
        }

        @Override
        public int imageSize() {
            return all.imageSize();
        }

        @Override
        public void image(int index, float[] dst, int off) {
            all.image(index, dst, off);
        }

        @Override
        public List<String> captions(int index) {
            return List.of(all.captions(index).get(pick(index)));
        }

        @Override
        public List<ScoredAnswer> answers(int image, int question) {
            return all.answers(image, pick(image));
        }

        @Override
        public String questionType(int image, int question) {
            return all.questionType(image, pick(image));
        }
    }

    @Test
    void aTinyModelOverfitsAndItsRunFolderAnswers() throws Exception {
        ShapesQuestions scenes = ShapesQuestions.split(true, 8, WORLD);
        QuestionAnswerData data = new OneQuestionEach(scenes);
        Path run = dir.resolve("overfit");
        ClipTrainer.Result<GenerativeVqaModel> r = VqaTrainer.trainGenerative(VqaTrainer.Start.fresh(VlTrainerTest.micro("mid")), null, data, 1,
                VlTrainerTest.config(run, 80).lr(1e-2).build(), 80);
        double first = 0, last = 0;
        for (int k = 0; k < 5; k++) {
            first += r.losses().get(k)[1];
            last += r.losses().get(r.losses().size() - 1 - k)[1];
        }
        assertThat(last).isLessThan(0.35 * first); // 8.7 → 2.3 a question (two tokens, label smoothing 0.1)
        assertThat(Files.readString(run.resolve(VqaTrainer.TASK))).startsWith("vqa, generate head");
        assertThat(GenerativeVqaAnswerer.isGenerativeVqaRun(run)).isTrue();
        try (GenerativeVqaAnswerer answerer = GenerativeVqaAnswerer.load(run)) {
            VqaEvaluator.Result seen = VqaEvaluator.evaluate(answerer, data, GenerationConfig.greedy(4));
            assertThat(seen.overall()).as("training answers written right (chance: 1 in 20): %s", seen.predictions()).isGreaterThanOrEqualTo(0.625);
            RgbImage image = new RgbImage(16, 16, scenes.scenes().getFirst().renderRgb());
            List<VisualQuestionAnswerer.Answer> out = answerer.answer(List.of(image), data.captions(0), 3, GenerationConfig.greedy(4));
            assertThat(out.getFirst().top()).isEmpty();
            assertThat(out.getFirst().answer()).isEqualTo(seen.predictions().getFirst().predicted()); // the same pixels, from an image
        }
        // the vocabulary holds the answers' words as well as the questions'
        VqaTrainer.trainGenerative(VqaTrainer.Start.fresh(VlTrainerTest.micro("mid")), null, scenes, 2, VlTrainerTest.config(dir.resolve("all"), 1)
                .warmup(0).build(), 1);
        assertThat(Files.readAllLines(dir.resolve("all").resolve(VlRuns.VOCAB))).contains("what", "yes", "no", "red", "circle", "left");
    }

    @Test
    void resumeIsBitExact() throws Exception {
        ShapesQuestions data = ShapesQuestions.split(true, 8, WORLD);
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        VqaTrainer.Start start = VqaTrainer.Start.fresh(VlTrainerTest.micro("early"));
        VqaTrainer.trainGenerative(start, null, data, 2, VlTrainerTest.config(straight, 4).build(), 4);
        VqaTrainer.trainGenerative(start, null, data, 2, VlTrainerTest.config(split, 4).build(), 2);
        VqaTrainer.trainGenerative(start, null, data, 2, VlTrainerTest.config(split, 4).resume(true).build(), 4);
        Checkpoint a = Checkpoint.load(straight.resolve(ClipTrainer.CHECKPOINT)), b = Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT));
        assertThat(b.step()).isEqualTo(4);
        assertThat(a.model().keySet()).anyMatch(k -> k.startsWith("text_decoder.")).anyMatch(k -> k.startsWith("fusion.vision_model."));
        a.model().forEach((param, t) -> assertThat(Arrays.equals(b.model().get(param).toArray(), t.toArray()))
                .as(param + " bit-identical after resume").isTrue());
        // a generative run does not resume as a classifier; a fresh classifier in its folder is a classifier's run folder
        assertThatThrownBy(() -> VqaTrainer.train(VqaTrainer.Start.fresh(VlTrainerTest.micro("early")), data, 10, 2,
                VlTrainerTest.config(split, 5).resume(true).build(), 5)).hasMessageContaining("trained vqa, generate head");
        VqaTrainer.train(VqaTrainer.Start.fresh(VlTrainerTest.micro("early")), data, 10, 2, VlTrainerTest.config(split, 1).warmup(0).build(), 1);
        assertThat(GenerativeVqaAnswerer.isGenerativeVqaRun(split)).isFalse();
        assertThat(dev.vireo.models.vqa.VlQuestionAnswerer.isVqaRun(split)).isTrue();
    }

    @Test
    void theAnswerDecoderStartsFromACaptionersDecoder() throws Exception {
        Path captioner = dir.resolve("captioner");
        CaptionConfig caption = new CaptionConfig("micro-caption", VlTrainerTest.micro("mid").vision(), CaptionTrainerTest.micro().text());
        CaptionTrainer.train(caption, ShapesData.split(true, 8, WORLD), "", VlTrainerTest.config(captioner, 1).warmup(0).build());
        Path run = dir.resolve("vqa");
        VqaTrainer.Start start = VqaTrainer.Start.imageTowerOf(captioner, VlTrainerTest.micro("mid"));
        ClipTrainer.Result<GenerativeVqaModel> r = VqaTrainer.trainGenerative(start, captioner, ShapesQuestions.split(true, 8, WORLD), 2,
                VlTrainerTest.config(run, 1).warmup(0).lr(1e-12).build(), 1);
        BertConfig decoder = GenerativeVqaModel.readDecoderConfig(run.resolve(GenerativeVqaModel.DECODER_CONFIG));
        assertThat(decoder.layers()).isEqualTo(caption.text().layers());
        var captionParams = CaptionRuns.load(captioner).model().namedParameters();
        var params = r.model().namedParameters();
        float[] was = captionParams.get("text_decoder.cls.predictions.transform.dense.weight").value().toArray();
        float[] now = params.get("text_decoder.cls.predictions.transform.dense.weight").value().toArray();
        for (int i = 0; i < was.length; i++) assertThat(now[i]).isCloseTo(was[i], org.assertj.core.data.Offset.offset(1e-6f)); // lr 1e-12: as copied
        // the word "circle" keeps its embedding row under its new id
        List<String> captionVocab = Files.readAllLines(captioner.resolve(CaptionRuns.VOCAB)), vocab = Files.readAllLines(run.resolve(VlRuns.VOCAB));
        int c = decoder.hidden(), from = captionVocab.indexOf("circle"), to = vocab.indexOf("circle");
        float[] captionRows = captionParams.get("text_decoder.bert.embeddings.word_embeddings.weight").value().toArray();
        float[] rows = params.get("text_decoder.bert.embeddings.word_embeddings.weight").value().toArray();
        for (int k = 0; k < c; k++) assertThat(rows[to * c + k]).isCloseTo(captionRows[from * c + k], org.assertj.core.data.Offset.offset(1e-6f));
        assertThatThrownBy(() -> VqaTrainer.trainGenerative(VqaTrainer.Start.fresh(VlTrainerTest.micro("mid").withVocabSize(400)), dir.resolve("nowhere"),
                ShapesQuestions.split(true, 8, WORLD), 2, VlTrainerTest.config(dir.resolve("bad"), 1).warmup(0).build(), 1)).hasMessageContaining("not a caption run folder");
    }

    @Test
    void aPretrainedRunStartsTheFusionEncoderWithItsVocabularyGrownByTheAnswers() throws Exception {
        Path pretrained = dir.resolve("pretrained");
        VlTrainer.train(VlTrainerTest.micro("mid"), VlTrainer.Objectives.parse("itc,itm"), ShapesData.split(true, 8, WORLD),
                VlTrainerTest.config(pretrained, 1).warmup(0).build());
        List<String> captionWords = Files.readAllLines(pretrained.resolve(VlRuns.VOCAB));
        Path run = dir.resolve("vqa");
        ClipTrainer.Result<GenerativeVqaModel> r = VqaTrainer.trainGenerative(VqaTrainer.Start.pretrained(pretrained), null,
                ShapesQuestions.split(true, 8, WORLD), 2, VlTrainerTest.config(run, 1).warmup(0).build(), 1);
        assertThat(r.losses()).allMatch(l -> Double.isFinite(l[1]));
        List<String> vocab = Files.readAllLines(run.resolve(VlRuns.VOCAB));
        assertThat(vocab.subList(0, captionWords.size())).isEqualTo(captionWords);
        assertThat(vocab).contains("what", "yes", "no");
        assertThat(r.model().decoderConfig().vocabSize()).isEqualTo(vocab.size());
    }
}
