package dev.vireo.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.examples.plot.ImageGrid;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.caption.CaptionModel;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.eval.CaptionEvaluator;
import dev.vireo.models.eval.DecoderGrounding;
import dev.vireo.models.eval.GroundingMetrics;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.train.CaptionTrainer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vireo demo caption}: a small BLIP-style captioner (ViT + causal BERT decoder with
 * cross-attention) trained from scratch on the shapes world, then measured on held-out scenes with
 * greedy decoding: {@code metrics.json} ({@code {"caption": {"Bleu_4", "CIDEr", "ROUGE_L",
 * "objects_correct", ...}}}) and {@code captions.png}, held-out images with their captions.
 */
public final class CaptionDemo {
    private CaptionDemo() {}

    /** The model, the prompt, how many training and held-out scenes, and the trainer's settings. */
    public record Settings(String model, String prompt, int trainScenes, int testScenes, int maxNewTokens, TrainConfig train) {}

    /** What a run measured. */
    public record Outcome(Path runDir, CaptionEvaluator.Result caption, GroundingMetrics.Result grounding, double trainSeconds,
                          double samplesPerSecond) {}

    public static Settings defaults(Path runDir) {
        TrainConfig t = TrainConfig.builder().steps(3000).batch(64).lr(1e-3).warmup(100).outDir(runDir).checkpointEvery(1000).build();
        return new Settings("caption-mini", "", 8000, 300, 20, t);
    }

    public static Outcome run(Settings s, PrintStream out) throws IOException {
        CaptionConfig config = CaptionConfig.resolve(s.model());
        int side = config.vision().imageSize();
        ShapesData train = ShapesData.split(true, s.trainScenes(), ShapesWorld.Config.of(side));
        out.printf("Training the captioner '%s' on %d scenes for %d steps of %d on %d thread(s)%n", config.name(), train.size(),
                s.train().steps(), s.train().batch(), ComputePool.global().threads());
        ClipTrainer.Result<CaptionModel> result = CaptionTrainer.train(config, train, s.prompt(), s.train(), RunReports.standard(out, false));
        out.printf("%,d parameters trained%n", result.model().parameterCount());

        Path dir = s.train().outDir();
        CaptionRuns.Loaded loaded = CaptionRuns.load(dir); // what a user of the run folder gets
        TrainedCaptioner captioner = new TrainedCaptioner(loaded.model(), loaded.tokenizer(), loaded.prompt());
        ShapesData test = ShapesData.split(false, s.testScenes(), ShapesWorld.Config.of(side));
        CaptionEvaluator.Result caption = CaptionEvaluator.evaluate(captioner, test, GenerationConfig.greedy(s.maxNewTokens()));
        writeGrid(dir.resolve("captions.png"), caption, test.scenes());
        GroundingMetrics.Result grounding = DecoderGrounding.of(loaded.model(), loaded.tokenizer()).evaluate(test.scenes());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caption", caption.toMap());
        m.put("grounding", grounding.toMap());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("model", config.name());
        training.put("prompt", s.prompt());
        training.put("steps", s.train().steps());
        training.put("batch", s.train().batch());
        training.put("train_scenes", s.trainScenes());
        training.put("test_scenes", s.testScenes());
        training.put("parameters", result.model().parameterCount());
        training.put("seconds", result.seconds());
        training.put("samples_per_s", result.samplesPerSecond());
        m.put("training", training);
        AtomicFiles.writeString(dir.resolve("metrics.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        return new Outcome(dir, caption, grounding, result.seconds(), result.samplesPerSecond());
    }

    /**
     * Trains a captioner of {@code caption-mini} with this demo's settings but {@code steps} steps on
     * {@code data} into {@code dir}, as a first stage whose image tower another model starts from
     * (captioning teaches the tower what each object is and where); returns {@code dir}.
     */
    public static Path trainImageTower(Path dir, ImageTextData data, int steps, long seed, String purpose, PrintStream out) throws IOException {
        TrainConfig d = defaults(dir).train();
        TrainConfig t = d.toBuilder().steps(steps).warmup(Math.min(d.warmup(), steps / 5)).seed(seed).build();
        out.printf("Training a captioner on the same scenes for %d steps (%s)%n", steps, purpose);
        CaptionTrainer.train(CaptionConfig.resolve("caption-mini"), data, "", t, RunReports.standard(out, false));
        return dir;
    }

    /** The first eight held-out scenes with their greedy captions, four a row; a caption naming an object wrong is marked. */
    static void writeGrid(Path file, CaptionEvaluator.Result caption, List<ShapeScene> scenes) {
        List<ImageGrid.Row> rows = new ArrayList<>();
        List<CaptionEvaluator.Generated> shown = caption.captions().subList(0, Math.min(8, caption.captions().size()));
        for (int from = 0; from < shown.size(); from += 4) {
            List<RgbImage> images = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (CaptionEvaluator.Generated g : shown.subList(from, Math.min(shown.size(), from + 4))) {
                ShapeScene scene = scenes.get(g.scene());
                images.add(new RgbImage(scene.imageSize(), scene.imageSize(), scene.renderRgb()));
                texts.add(g.objectsCorrect() ? g.caption() : "(wrong) " + g.caption());
            }
            rows.add(new ImageGrid.Row("scenes " + (from + 1) + "-" + (from + images.size()), images, texts));
        }
        ImageGrid.save(file, "held-out scenes and their greedy captions", rows, 96);
    }
}
