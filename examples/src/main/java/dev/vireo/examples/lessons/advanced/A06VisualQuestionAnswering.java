package dev.vireo.examples.lessons.advanced;

import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.ImageGrid;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.VqaAnswerNormalizer;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.VqaAccuracy;
import dev.vireo.models.eval.VqaEvaluator;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.ShapesQuestions;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.train.VqaTrainer;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;
import dev.vireo.models.vqa.AnswerVocabulary;
import dev.vireo.models.vqa.GenerativeVqaAnswerer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Advanced 6: visual question answering, two ways. First the VQA accuracy formula on hand-made
 * examples: an answer scores min(1, humans who gave it / 3), averaged over the ten ways of leaving
 * one of the ten humans out, after a normalisation of case, punctuation, number words and articles
 * (skipped when all ten humans agree). Then a small mid-fusion model is pretrained on one-shape
 * scenes' captions and fine-tuned twice on their questions: with ViLT's classifier over the answers seen in training
 * ({@link VqaTrainer#train}), and with BLIP's answer decoder that writes the answer word by word
 * ({@link VqaTrainer#trainGenerative}); both are measured per question type against the prior of
 * each type (its most common training answer, what a model blind to the picture would say).
 * Checks: the formula by hand equals {@link VqaAccuracy} on every example; both heads beat the blind
 * prior overall and by far on colour questions, which the question alone cannot answer (in quick
 * mode, too short to learn to look: both losses fall).
 */
public final class A06VisualQuestionAnswering implements Lesson {
    private static final int SIDE = 32;
    /** Most tokens a generated answer takes: a word, a piece or two, then [SEP]. */
    private static final int ANSWER_TOKENS = 5;

    /** One example of the formula: ten human answers and a prediction. */
    record Example(String what, List<String> humans, String prediction) {}

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;
        boolean quick = ctx.quick();

        // region formula
        // Step 1: the VQA accuracy formula by hand on ten human answers, against the library.
        List<String> reds = List.of("red", "red", "red", "red", "dark red", "dark red", "dark red", "maroon", "maroon", "maroon");
        List<String> twos = List.of("2", "2", "2", "2", "2", "2", "2", "2", "2", "3");
        List<Example> examples = List.of(
                new Example("4 humans agree", reds, "red"),
                new Example("3 humans agree", reds, "maroon"),
                new Example("1 human agrees", twos, "3"),
                new Example("'Two.' normalised to '2'", twos, "Two."),
                new Example("'a dog' normalised to 'dog'", List.of("dog", "dog", "dog", "dog", "puppy", "puppy", "dog", "dog", "dog", "dog"), "a dog"),
                new Example("all ten agree: no normalisation", List.of("yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes", "yes"), "Yes"));
        out.printf("%-34s %-12s %8s %8s %8s%n", "example", "prediction", "matches", "by hand", "library");
        boolean formulaAgrees = true;
        for (Example e : examples) {
            double[] byHand = byHand(e.humans(), e.prediction());
            double library = VqaAccuracy.score(e.humans(), e.prediction());
            out.printf("%-34s %-12s %8d %8.3f %8.3f%n", e.what(), e.prediction(), (int) byHand[1], byHand[0], library);
            formulaAgrees &= Math.abs(byHand[0] - library) < 1e-12;
        }
        ok &= ctx.check("the formula by hand equals VqaAccuracy on every example", formulaAgrees);
        // endregion formula

        // region train
        // Step 2: pretrain a small mid-fusion model (ITC, ITM, MLM on the scenes' captions), then fine-tune it twice:
        // with a classifier over the training answers (ViLT, ALBEF), and with an answer decoder (BLIP).
        VlConfig config = new VlConfig("a06-vqa", "mid", 32, new VisionConfig(SIDE, 4, 48, 2, 2, 4.0, "gelu"),
                new BertConfig(512, 48, 3, 2, 192, 32, 2, 1e-12, "gelu", false), 2, 0, 0, false);
        ShapesQuestions train = ShapesQuestions.split(true, quick ? 1000 : 4000, new ShapesWorld.Config(SIDE, 1, 1));
        ShapesQuestions test = ShapesQuestions.split(false, quick ? 16 : 150, new ShapesWorld.Config(SIDE, 1, 1));
        int pretrainSteps = quick ? 10 : 100, steps = quick ? 25 : 400;
        Path pretrained = ctx.outputDir().resolve("a06_pretrain");
        var pre = VlTrainer.train(config, VlTrainer.Objectives.parse("itc,itm,mlm"), new ShapesData(train.scenes(), SIDE),
                settings(pretrainSteps, pretrained));
        Path classifierRun = ctx.outputDir().resolve("a06_classify"), generativeRun = ctx.outputDir().resolve("a06_generate");
        TrainConfig classify = settings(steps, classifierRun), generate = settings(steps, generativeRun);
        var c = VqaTrainer.train(VqaTrainer.Start.pretrained(pretrained), train, AnswerVocabulary.MAX_ANSWERS, 4, classify, steps);
        var g = VqaTrainer.trainGenerative(VqaTrainer.Start.pretrained(pretrained), null, train, 4, generate, steps);
        out.printf("%npretraining for %d steps, then each head for %d steps, of %d: pretraining loss %.3f → %.3f (%.1f s),"
                        + " classifier %.3f → %.3f (%.1f s), decoder %.3f → %.3f (%.1f s)%n", pretrainSteps, steps, classify.batch(),
                pre.losses().getFirst()[1], pre.losses().getLast()[1], pre.seconds(), c.losses().getFirst()[1], c.losses().getLast()[1], c.seconds(),
                g.losses().getFirst()[1], g.losses().getLast()[1], g.seconds());
        // endregion train

        // region compare
        // Step 3: held-out accuracy per question type; the prior answers each type by its most common training answer.
        VlRuns.Loaded loaded = VlRuns.load(classifierRun);
        AnswerVocabulary answers = AnswerVocabulary.read(classifierRun.resolve(AnswerVocabulary.FILE));
        VqaEvaluator.Result classifier = VqaEvaluator.evaluate(new VlScorer(loaded.model(), loaded.tokenizer()), answers, test);
        VqaEvaluator.Result generative = VqaEvaluator.evaluate(GenerativeVqaAnswerer.load(generativeRun), test, GenerationConfig.greedy(ANSWER_TOKENS));
        Map<String, Double> prior = prior(train, test);
        out.printf("%n%-10s %8s %11s %11s%n", "type", "prior", "classifier", "generative");
        for (String type : classifier.perType().keySet()) {
            out.printf("%-10s %8.3f %11.3f %11.3f%n", type, prior.get(type), classifier.perType().get(type), generative.perType().get(type));
        }
        double priorOverall = prior.get("overall");
        out.printf("%-10s %8.3f %11.3f %11.3f   (%d questions)%n", "overall", priorOverall, classifier.overall(), generative.overall(), classifier.questions());
        Set<String> known = new HashSet<>(answers.answers()), invented = new HashSet<>();
        for (VqaEvaluator.Prediction p : generative.predictions()) if (!known.contains(p.predicted())) invented.add(p.predicted());
        out.printf("the classifier chooses among the %d training answers; the decoder may write any words, and wrote %d answers outside them%s%n",
                answers.size(), invented.size(), invented.isEmpty() ? "" : ": " + invented.stream().sorted().limit(8).toList());
        if (quick) { // a few steps teach the answers' frequencies, not yet to look: check that both losses fall
            ok &= ctx.check("both heads' losses fall by at least 30%", c.losses().getLast()[1] <= 0.7 * c.losses().getFirst()[1]
                    && g.losses().getLast()[1] <= 0.7 * g.losses().getFirst()[1]);
        } else {  // colour cannot be guessed from the question: a head that beats the prior there looks at the picture
            ok &= ctx.check("the classifier beats the blind prior by 0.05 overall and by 0.3 on colour questions", beatsPrior(classifier, prior));
            ok &= ctx.check("the answer decoder beats the blind prior by 0.05 overall and by 0.3 on colour questions", beatsPrior(generative, prior));
        }
        // endregion compare

        writeExamples(ctx.file("a06_answers.png"), test, classifier, generative);
        out.printf("one question of each type with both answers: %s%n", ctx.outputDir().resolve("a06_answers.png"));
        return ok;
    }

    /**
     * The accuracy of {@code prediction} by the formula: clean, normalise unless the humans all agree,
     * then the mean over the ten leave-one-out subsets of min(1, matches among the nine / 3).
     * → {accuracy, matches among all ten}.
     */
    static double[] byHand(List<String> humans, String prediction) {
        List<String> h = humans.stream().map(VqaAnswerNormalizer::clean).toList();
        String p = VqaAnswerNormalizer.clean(prediction);
        if (new HashSet<>(h).size() > 1) {                                                   // normalised only when the humans disagree
            h = h.stream().map(VqaAnswerNormalizer::normalize).toList();
            p = VqaAnswerNormalizer.normalize(p);
        }
        int matches = 0;
        for (String a : h) if (a.equals(p)) matches++;
        double sum = 0;
        for (String left : h) sum += Math.min(1.0, (matches - (left.equals(p) ? 1 : 0)) / 3.0); // the other nine humans
        return new double[] {sum / h.size(), matches};
    }

    private static boolean beatsPrior(VqaEvaluator.Result r, Map<String, Double> prior) {
        return r.overall() >= prior.get("overall") + 0.05 && r.perType().get("colour") >= prior.get("colour") + 0.3;
    }

    /** Per type and overall, the accuracy of answering every question with its type's most common training answer. */
    static Map<String, Double> prior(ShapesQuestions train, ShapesQuestions test) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (ShapeScene s : train.scenes()) {
            for (var qa : s.questions()) counts.computeIfAbsent(qa.type(), t -> new HashMap<>()).merge(qa.answer(), 1, Integer::sum);
        }
        Map<String, double[]> hits = new HashMap<>();                                        // type → (right, asked)
        for (ShapeScene s : test.scenes()) {
            for (var qa : s.questions()) {
                String guess = counts.getOrDefault(qa.type(), Map.of("", 1)).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                double[] h = hits.computeIfAbsent(qa.type(), t -> new double[2]);
                if (guess.equals(qa.answer())) h[0]++;
                h[1]++;
            }
        }
        Map<String, Double> out = new HashMap<>();
        double right = 0, asked = 0;
        for (var e : hits.entrySet()) {
            out.put(e.getKey(), e.getValue()[0] / e.getValue()[1]);
            right += e.getValue()[0];
            asked += e.getValue()[1];
        }
        out.put("overall", right / asked);
        return out;
    }

    private static TrainConfig settings(int steps, Path dir) {
        return TrainConfig.builder().steps(steps).batch(32).lr(2e-3).warmup(steps / 10).outDir(dir).checkpointEvery(0).build();
    }

    /** The first held-out question of each type, with the classifier's and the decoder's answers. */
    private static void writeExamples(Path file, ShapesQuestions test, VqaEvaluator.Result classifier, VqaEvaluator.Result generative) {
        Set<String> seen = new HashSet<>();
        List<ImageGrid.Row> rows = new ArrayList<>();
        for (int k = 0; k < classifier.predictions().size(); k++) {
            VqaEvaluator.Prediction p = classifier.predictions().get(k);
            if (!seen.add(p.type())) continue;
            ShapeScene scene = test.scenes().get(p.image());
            String text = String.format(Locale.ROOT, "classify: %s, generate: %s (truth %s)", p.predicted(), generative.predictions().get(k).predicted(), p.expected());
            rows.add(new ImageGrid.Row(p.question(), List.of(new RgbImage(SIDE, SIDE, scene.renderRgb())), List.of(text)));
        }
        ImageGrid.save(file, "A06: one question of each type, two heads", rows, 128);
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new A06VisualQuestionAnswering(), args);
    }
}
