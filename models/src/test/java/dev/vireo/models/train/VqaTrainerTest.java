package dev.vireo.models.train;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.VqaEvaluator;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;
import dev.vireo.models.vqa.AnswerVocabulary;
import dev.vireo.models.vqa.VisualQuestionAnswerer;
import dev.vireo.models.vqa.VlQuestionAnswerer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** VQA training: the loss falls, resume is bit-exact, the run folder answers questions, and evaluation counts what it should. */
class VqaTrainerTest {
    private static final ShapesWorld.Config WORLD = new ShapesWorld.Config(16, 1, 2);

    @TempDir
    Path dir;

    @Test
    void lossFallsAndTheRunFolderAnswers() throws Exception {
        ShapesQuestions data = ShapesQuestions.split(true, 24, WORLD);
        Path run = dir.resolve("mid");
        ClipTrainer.Result<VlModel> r = VqaTrainer.train(VlTrainerTest.micro("mid"), data, 1000, VlTrainerTest.config(run, 60).build());
        double first = 0, last = 0;
        for (int k = 0; k < 5; k++) {
            first += r.losses().get(k)[1];
            last += r.losses().get(r.losses().size() - 1 - k)[1];
        }
        assertThat(last).isLessThan(0.7 * first);
        List<String> answers = Files.readAllLines(run.resolve(AnswerVocabulary.FILE));
        assertThat(answers).contains("yes", "no", "one", "two", "red", "circle", "left");
        assertThat(r.model().config().answerClasses()).isEqualTo(answers.size());
        assertThat(Files.readAllLines(run.resolve(VlRuns.VOCAB))).contains("what", "colour", "how", "many");
        assertThat(VlQuestionAnswerer.isVqaRun(run)).isTrue();
        RgbImage image = new RgbImage(16, 16, data.scenes().getFirst().renderRgb());
        try (VlQuestionAnswerer answerer = VlQuestionAnswerer.load(run)) {
            List<VisualQuestionAnswerer.Answer> out = answerer.answer(List.of(image, image), List.of("how many shapes are there?", "Zebra?"), 3,
                    GenerationConfig.greedy(5));
            for (VisualQuestionAnswerer.Answer a : out) {
                assertThat(a.top()).hasSize(3);
                assertThat(a.answer()).isEqualTo(a.top().getFirst().answer());
                assertThat(a.top().get(0).score()).isGreaterThanOrEqualTo(a.top().get(1).score()).isBetween(0.0, 1.0);
            }
            assertThatThrownBy(() -> answerer.answer(List.of(image), List.of(), 1, GenerationConfig.greedy(5))).hasMessageContaining("1 images for 0 questions");
        }
    }

    @Test
    void resumeIsBitExact() throws Exception {
        ShapesQuestions data = ShapesQuestions.split(true, 24, WORLD);
        for (String fusion : new String[] {"early", "mid"}) {
            Path straight = dir.resolve(fusion + "-straight"), split = dir.resolve(fusion + "-split");
            VqaTrainer.train(VlTrainerTest.micro(fusion), data, 1000, VlTrainerTest.config(straight, 6).build());
            VqaTrainer.train(VlTrainerTest.micro(fusion), data, 1000, VlTrainerTest.config(split, 6).build(), 3);
            VqaTrainer.train(VlTrainerTest.micro(fusion), data, 1000, VlTrainerTest.config(split, 6).resume(true).build());
            Checkpoint a = Checkpoint.load(straight.resolve(ClipTrainer.CHECKPOINT)), b = Checkpoint.load(split.resolve(ClipTrainer.CHECKPOINT));
            assertThat(b.step()).isEqualTo(6);
            a.model().forEach((param, t) -> assertThat(Arrays.equals(b.model().get(param).toArray(), t.toArray()))
                    .as(fusion + " " + param + " bit-identical after resume").isTrue());
        }
    }

    @Test
    void evaluationScoresTheArgmaxAnswerPerType() throws Exception {
        ShapesQuestions data = ShapesQuestions.split(false, 12, WORLD);
        Path run = dir.resolve("eval");
        VqaTrainer.train(VlTrainerTest.micro("mid"), ShapesQuestions.split(true, 24, WORLD), 1000, VlTrainerTest.config(run, 2).build());
        VlRuns.Loaded loaded = VlRuns.load(run);
        AnswerVocabulary answers = AnswerVocabulary.read(run.resolve(AnswerVocabulary.FILE));
        // make the head answer "yes" whatever it sees: its output bias dwarfs everything else
        Tensor bias = loaded.model().namedParameters().get("vqa_head.out.bias").value();
        for (int a = 0; a < answers.size(); a++) bias.set(a == answers.id("yes") ? 1e6f : 0f, a);
        VqaEvaluator.Result result = VqaEvaluator.evaluate(new VlScorer(loaded.model(), loaded.tokenizer()), answers, data);
        int questions = 0, yes = 0, existsQuestions = 0, existsYes = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int q = 0; q < data.captions(i).size(); q++) {
                boolean isYes = data.answers(i, q).getFirst().answer().equals("yes");
                questions++;
                if (isYes) yes++;
                if (data.questionType(i, q).equals("exists")) {
                    existsQuestions++;
                    if (isYes) existsYes++;
                }
            }
        }
        assertThat(result.questions()).isEqualTo(questions);
        assertThat(result.overall()).isEqualTo((double) yes / questions);
        assertThat(result.perType().get("exists")).isEqualTo((double) existsYes / existsQuestions);
        assertThat(result.perType().get("colour")).isZero();
        assertThat(result.perType().keySet()).containsExactly("colour", "count", "exists", "position", "relation", "shape", "size");
        assertThat(result.predictions()).allMatch(p -> p.predicted().equals("yes"));
    }

    @Test
    void fineTuningStartsFromThePretrainedWeightsWithTheVocabularyGrown() throws Exception {
        Path pretrained = dir.resolve("pretrained");
        VlTrainer.train(VlTrainerTest.micro("mid"), VlTrainer.Objectives.parse("itc,itm,mlm"), ShapesData.split(true, 16, WORLD),
                VlTrainerTest.config(pretrained, 3).build());
        List<String> captionWords = Files.readAllLines(pretrained.resolve(VlRuns.VOCAB));
        Path run = dir.resolve("vqa");
        TrainConfig cfg = VlTrainerTest.config(run, 3).build();
        ShapesQuestions data = ShapesQuestions.split(true, 16, WORLD);
        dev.vireo.models.text.WordPieceTokenizer tokenizer = PretrainedStart.vocabulary(cfg, data, pretrained);
        List<String> vocab = Files.readAllLines(run.resolve(VlRuns.VOCAB));
        assertThat(vocab.subList(0, captionWords.size())).isEqualTo(captionWords);
        assertThat(vocab.subList(captionWords.size(), vocab.size())).contains("what", "how").doesNotContain("circle");
        VlRuns.Loaded before = VlRuns.load(pretrained);
        VlModel model = new VlModel(before.model().config().withVocabSize(tokenizer.vocabSize()).withAnswerClasses(4), 5);
        PretrainedStart.copyWeights(pretrained, model);
        var was = before.model().namedParameters();
        var now = model.namedParameters();
        assertThat(now.get("vision_model.embeddings.patch_embedding.weight").value().toArray()).isEqualTo(was.get("vision_model.embeddings.patch_embedding.weight").value().toArray());
        float[] oldRows = was.get("text_model.embeddings.word_embeddings.weight").value().toArray();
        float[] grown = now.get("text_model.embeddings.word_embeddings.weight").value().toArray();
        assertThat(grown.length).isGreaterThan(oldRows.length);
        assertThat(Arrays.copyOf(grown, oldRows.length)).isEqualTo(oldRows);
        // the whole trainer: a pretrained start trains and its run folder answers
        ClipTrainer.Result<VlModel> r = VqaTrainer.train(VqaTrainer.Start.pretrained(pretrained), data, 1000, 2, cfg, 3);
        assertThat(r.losses()).allMatch(l -> Double.isFinite(l[1]));
        assertThat(VlQuestionAnswerer.isVqaRun(run)).isTrue();
        VlModel tooSmall = new VlModel(VlTrainerTest.micro("mid").withVocabSize(6), 5);
        assertThatThrownBy(() -> PretrainedStart.copyWeights(pretrained, tooSmall)).hasMessageContaining("word_embeddings.weight is [");
    }

    @Test
    void aCaptionersImageTowerStartsTheModel() throws Exception {
        Path captioner = dir.resolve("captioner");
        dev.vireo.models.config.VisionConfig vision = VlTrainerTest.micro("mid").vision();
        CaptionTrainer.train(new dev.vireo.models.config.CaptionConfig("micro-caption", vision, CaptionTrainerTest.micro().text()),
                ShapesData.split(true, 16, WORLD), "", VlTrainerTest.config(captioner, 3).build());
        Path run = dir.resolve("vqa");
        VqaTrainer.Start start = VqaTrainer.Start.imageTowerOf(captioner, VlTrainerTest.micro("mid"));
        ClipTrainer.Result<VlModel> r = VqaTrainer.train(start, ShapesQuestions.split(true, 16, WORLD), 1000, 2, VlTrainerTest.config(run, 2).lr(1e-12).build(), 1);
        var tower = dev.vireo.models.caption.CaptionRuns.load(captioner).model().namedParameters();
        int compared = 0;
        for (var e : r.model().namedParameters().entrySet()) {
            if (!e.getKey().startsWith("vision_model.")) continue;
            float[] now = e.getValue().value().toArray(), copied = tower.get(e.getKey()).value().toArray();
            for (int i = 0; i < now.length; i++) assertThat(now[i]).as(e.getKey()).isCloseTo(copied[i], org.assertj.core.data.Offset.offset(1e-6f)); // lr 1e-12: as copied
            compared++;
        }
        assertThat(compared).isGreaterThan(10);
        assertThatThrownBy(() -> VqaTrainer.Start.imageTowerOf(captioner, VlTrainerTest.micro("early")))
                .hasMessageContaining("has another image tower");
    }

    @Test
    void refusesLateFusionAndMismatchedAnswerLists() throws Exception {
        ShapesQuestions data = ShapesQuestions.split(true, 8, WORLD);
        assertThatThrownBy(() -> VqaTrainer.train(VlTrainerTest.micro("late"), data, 10, VlTrainerTest.config(dir.resolve("late"), 2).build()))
                .hasMessageContaining("late fusion");
        assertThatThrownBy(() -> VlTrainerTest.micro("late").withAnswerClasses(3)).hasMessageContaining("late fusion has none");
        Path run = dir.resolve("run");
        VqaTrainer.train(VlTrainerTest.micro("mid"), data, 5, VlTrainerTest.config(run, 2).build());
        assertThat(Files.readAllLines(run.resolve(AnswerVocabulary.FILE))).hasSize(5);
        Files.writeString(run.resolve(AnswerVocabulary.FILE), "yes\nno\n");
        assertThatThrownBy(() -> VlQuestionAnswerer.load(run)).hasMessageContaining("answers 5 classes but answers.txt holds 2");
        VlConfig json = VlConfig.fromJson(VlTrainerTest.micro("mid").withAnswerClasses(7).toJson());
        assertThat(json.answerClasses()).isEqualTo(7);
        assertThat(VlTrainerTest.micro("mid").toJson()).doesNotContain("answerClasses");
    }
}
