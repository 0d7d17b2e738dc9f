package dev.vireo.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.coca.CocaModel;
import dev.vireo.models.coca.CocaRuns;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.CaptionEvaluator;
import dev.vireo.models.eval.CocaEvaluator;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.CocaTrainer;
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
 * {@code vireo demo coca}: a small CoCa-style model (one ViT, an attentional pooler, unimodal then
 * multimodal causal text layers) trained from scratch on the shapes world with both objectives at
 * once, then measured on held-out scenes from its run folder: greedy captions as {@code demo caption}
 * measures them, retrieval both ways over every paraphrase of every mixed scene, and zero-shot shape
 * and colour on one-shape scenes. Writes {@code metrics.json} ({@code {"caption": {...},
 * "retrieval": {"image_to_text": {"R@1", ...}, "text_to_image": {...}}, "zero_shot": {...}}}) and
 * {@code captions.png}.
 */
public final class CocaDemo {
    private CocaDemo() {}

    /** The model, the prompt, how many training and held-out scenes, and the trainer's settings. */
    public record Settings(String model, String prompt, int trainScenes, int testScenes, int maxNewTokens, TrainConfig train) {}

    /** What a run measured. */
    public record Outcome(Path runDir, CaptionEvaluator.Result caption, RetrievalMetrics.Result retrieval, double shapeAccuracy,
                          double colourAccuracy, double trainSeconds, double samplesPerSecond) {}

    public static Settings defaults(Path runDir) {
        TrainConfig t = TrainConfig.builder().steps(2500).batch(64).lr(1e-3).warmup(100).outDir(runDir).checkpointEvery(1000).build();
        return new Settings("coca-mini", "", 8000, 300, 20, t);
    }

    public static Outcome run(Settings s, PrintStream out) throws IOException {
        CocaConfig config = CocaConfig.resolve(s.model());
        int side = config.vision().imageSize();
        ShapesData train = ShapesData.split(true, s.trainScenes(), ShapesWorld.Config.of(side));
        out.printf("Training the CoCa model '%s' on %d scenes for %d steps of %d on %d thread(s)%n", config.name(), train.size(),
                s.train().steps(), s.train().batch(), ComputePool.global().threads());
        ClipTrainer.Result<CocaModel> result = CocaTrainer.train(config, train, s.prompt(), s.train(), RunReports.standard(out, false));
        out.printf("%,d parameters trained%n", result.model().parameterCount());

        Path dir = s.train().outDir();
        CocaRuns.Loaded loaded = CocaRuns.load(dir); // what a user of the run folder gets
        TrainedCaptioner captioner = new TrainedCaptioner(loaded.model(), loaded.tokenizer(), loaded.prompt());
        ShapesData test = ShapesData.split(false, s.testScenes(), ShapesWorld.Config.of(side));
        CaptionEvaluator.Result caption = CaptionEvaluator.evaluate(captioner, test, GenerationConfig.greedy(s.maxNewTokens()));
        CaptionDemo.writeGrid(dir.resolve("captions.png"), caption, test.scenes());

        CocaEvaluator eval = new CocaEvaluator(loaded.model(), loaded.tokenizer());
        RetrievalMetrics.Result retrieval = eval.retrieval(test);
        double[] zeroShot = zeroShot(eval, s.testScenes(), side);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caption", caption.toMap());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_to_text", retrieval.imageToText().toMap());
        r.put("text_to_image", retrieval.textToImage().toMap());
        m.put("retrieval", r);
        m.put("zero_shot", Map.of("shape_top1", zeroShot[0], "colour_top1", zeroShot[1]));
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
        training.put("loss_weights", Map.of("contrastive", CocaTrainer.CONTRASTIVE_WEIGHT, "caption", CocaTrainer.CAPTION_WEIGHT));
        m.put("training", training);
        AtomicFiles.writeString(dir.resolve("metrics.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        return new Outcome(dir, caption, retrieval, zeroShot[0], zeroShot[1], result.seconds(), result.samplesPerSecond());
    }

    /** Zero-shot top-1 of shape and of colour on held-out one-shape scenes, with {@code demo}'s prompts. */
    private static double[] zeroShot(CocaEvaluator eval, int scenes, int side) {
        ShapesData single = ShapesData.split(false, scenes, new ShapesWorld.Config(side, 1, 1));
        float[] images = eval.imageEmbeddings(single); // (N, E)
        int n = single.size();
        int[] shapeLabels = new int[n], colourLabels = new int[n];
        for (int i = 0; i < n; i++) {
            ShapeScene scene = single.scenes().get(i);
            shapeLabels[i] = scene.mainShape().kind().ordinal();
            colourLabels[i] = scene.mainShape().colour().ordinal();
        }
        List<List<String>> shapePrompts = new ArrayList<>(), colourPrompts = new ArrayList<>();
        for (ShapeKind k : ShapeKind.values()) {
            shapePrompts.add(List.of("a " + k.word(), "a picture of a " + k.word(), "a small " + k.word(), "a large " + k.word()));
        }
        for (ShapeColour c : ShapeColour.values()) {
            List<String> p = new ArrayList<>();
            for (ShapeKind k : ShapeKind.values()) p.add("a " + c.word() + " " + k.word());
            colourPrompts.add(p);
        }
        return new double[] {eval.zeroShot(images, n, shapePrompts, shapeLabels)[0], eval.zeroShot(images, n, colourPrompts, colourLabels)[0]};
    }
}
