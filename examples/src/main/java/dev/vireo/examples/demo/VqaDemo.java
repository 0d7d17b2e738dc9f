package dev.vireo.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.examples.plot.ImageGrid;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.VqaEvaluator;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.ShapesQuestions;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VqaTrainer;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;
import dev.vireo.models.vqa.AnswerVocabulary;
import dev.vireo.models.vqa.GenerativeVqaAnswerer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code vireo demo vqa}: a captioner trained first on the shapes world's captions (into
 * {@code caption/}), then a mid-fusion transformer with the captioner's image tower trained to
 * answer the world's questions (count, colour, size, position, shape, exists, relation) with ViLT's
 * classifier head or BLIP's answer decoder (started from the captioner's decoder), measured on held-out scenes: {@code metrics.json} ({@code {"vqa": {"overall",
 * "per_type"}}}) and {@code examples.png}, one held-out question of each type with the model's
 * answer. From a fresh image tower the same training stalls near 65%: the answer loss alone does not
 * teach the tower to tell shapes and places apart while most questions can be answered from the
 * colours present; captioning does.
 */
public final class VqaDemo {
    /** Most tokens a generative answer takes: the world's answers are one word, a piece or two, then [SEP]. */
    private static final int ANSWER_TOKENS = 5;

    private VqaDemo() {}

    /** The model, how many training and held-out scenes, and the trainer's settings. */
    public record Settings(String model, int trainScenes, int testScenes, int questionsPerImage, int captionSteps, TrainConfig train,
                           VqaTrainer.Head head) {}

    /** What a run measured. */
    public record Outcome(Path runDir, VqaEvaluator.Result vqa, double trainSeconds, double samplesPerSecond) {}

    public static Settings defaults(Path runDir) {
        TrainConfig t = TrainConfig.builder().steps(5000).batch(64).lr(1e-3).warmup(100).outDir(runDir).checkpointEvery(1000).build();
        return new Settings("vl-mid", 8000, 300, 4, CaptionDemo.defaults(runDir).train().steps(), t, VqaTrainer.Head.CLASSIFY);
    }

    public static Outcome run(Settings s, PrintStream out) throws IOException {
        VlConfig config = VlConfig.resolve(s.model());
        int side = config.vision().imageSize();
        ShapesQuestions train = ShapesQuestions.split(true, s.trainScenes(), ShapesWorld.Config.of(side));
        Path captioner = CaptionDemo.trainImageTower(s.train().outDir().resolve("caption"), new ShapesData(train.scenes(), side),
                s.captionSteps(), s.train().seed(), "its image tower starts the VQA model", out);
        out.printf("Training '%s' (%s fusion, %s head) to answer questions about %d scenes for %d steps of %d on %d thread(s)%n", config.name(),
                config.fusion(), s.head().label(), train.size(), s.train().steps(), s.train().batch(), ComputePool.global().threads());
        VqaTrainer.Start start = VqaTrainer.Start.imageTowerOf(captioner, config);
        Path dir = s.train().outDir();
        ShapesQuestions test = ShapesQuestions.split(false, s.testScenes(), ShapesWorld.Config.of(side));
        ClipTrainer.Result<?> result;
        VqaEvaluator.Result vqa;
        if (s.head() == VqaTrainer.Head.GENERATE) {
            // BLIP's answer decoder starts from the captioner's decoder, as BLIP's starts from its captioning decoder
            result = VqaTrainer.trainGenerative(start, captioner, train, s.questionsPerImage(), s.train(), s.train().steps(), RunReports.standard(out, false));
            vqa = VqaEvaluator.evaluate(GenerativeVqaAnswerer.load(dir), test, GenerationConfig.greedy(ANSWER_TOKENS)); // what a user of the run folder gets
        } else {
            result = VqaTrainer.train(start, train, AnswerVocabulary.MAX_ANSWERS, s.questionsPerImage(), s.train(), s.train().steps(),
                    RunReports.standard(out, false));
            VlRuns.Loaded loaded = VlRuns.load(dir); // what a user of the run folder gets
            vqa = VqaEvaluator.evaluate(new VlScorer(loaded.model(), loaded.tokenizer()), AnswerVocabulary.read(dir.resolve(AnswerVocabulary.FILE)), test);
        }
        out.printf("%,d parameters trained%n", result.model().parameterCount());
        writeExamples(dir.resolve("examples.png"), vqa, test.scenes());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vqa", vqa.toMap());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("model", config.name());
        training.put("fusion", config.fusion());
        training.put("head", s.head().label());
        training.put("steps", s.train().steps());
        training.put("batch", s.train().batch());
        training.put("questions_per_image", s.questionsPerImage());
        training.put("caption_steps", s.captionSteps());
        training.put("train_scenes", s.trainScenes());
        training.put("test_scenes", s.testScenes());
        training.put("parameters", result.model().parameterCount());
        training.put("seconds", result.seconds());
        training.put("samples_per_s", result.samplesPerSecond());
        m.put("training", training);
        AtomicFiles.writeString(dir.resolve("metrics.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        return new Outcome(dir, vqa, result.seconds(), result.samplesPerSecond());
    }

    /** The first held-out question of each type, and the first two the model got wrong, with its answers. */
    private static void writeExamples(Path file, VqaEvaluator.Result vqa, List<ShapeScene> scenes) {
        Set<String> seen = new LinkedHashSet<>();
        List<VqaEvaluator.Prediction> shown = new ArrayList<>();
        for (VqaEvaluator.Prediction p : vqa.predictions()) if (seen.add(p.type())) shown.add(p);
        vqa.predictions().stream().filter(p -> p.accuracy() < 1).limit(2).forEach(shown::add);
        List<ImageGrid.Row> rows = new ArrayList<>();
        for (VqaEvaluator.Prediction p : shown) {
            ShapeScene scene = scenes.get(p.image());
            RgbImage image = new RgbImage(scene.imageSize(), scene.imageSize(), scene.renderRgb());
            String verdict = p.accuracy() >= 1 ? "right" : "wrong, truth: " + p.expected();
            rows.add(new ImageGrid.Row(p.question(), List.of(image), List.of(String.format(Locale.ROOT, "%s (%s)", p.predicted(), verdict))));
        }
        ImageGrid.save(file, "held-out questions and the model's answers", rows, 96);
    }
}
