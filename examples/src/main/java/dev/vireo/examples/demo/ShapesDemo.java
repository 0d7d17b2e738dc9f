package dev.vireo.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.examples.plot.HeatMap;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main job: train a tiny CLIP on the built-in shapes world, evaluate it on held-out scenes
 * (zero-shot shape and colour on one-shape scenes, retrieval both ways on mixed scenes), and write
 * a run folder with {@code metrics.json}, the loss curve and a similarity heat map.
 */
public final class ShapesDemo {
    /** Sizes of a demo run. */
    public record Settings(String model, int trainScenes, int testScenes, TrainConfig train) {}

    /** The figures a demo run reports. */
    public record Outcome(Path runDir, double shapeAccuracy, double colourAccuracy, RetrievalMetrics.Result retrieval,
                          double trainSeconds, double samplesPerSecond) {}

    private ShapesDemo() {}

    public static Settings defaults(Path runDir) {
        TrainConfig t = TrainConfig.builder().steps(1200).batch(128).lr(2e-3).warmup(100).outDir(runDir).checkpointEvery(400).build();
        return new Settings("tiny", 8000, 500, t);
    }

    public static Outcome run(Settings s, PrintStream out) throws IOException {
        ClipConfig config = ClipConfig.create(s.model());
        int side = config.vision().imageSize();
        out.printf("Shapes world: %d training scenes, %d held-out scenes, %d px%n", s.trainScenes(), s.testScenes(), side);
        ShapesData train = ShapesData.split(true, s.trainScenes(), ShapesWorld.Config.of(side));
        out.printf("Training CLIP '%s' for %d steps of %d on %d thread(s)%n", config.name(), s.train().steps(),
                s.train().batch(), ComputePool.global().threads());
        ClipTrainer.Result<ClipModel> result = ClipTrainer.train(config, train, s.train(), RunReports.standard(out, false));
        out.printf("%,d parameters trained%n", result.model().parameterCount());

        result.model().eval();
        ClipEvaluator eval = new ClipEvaluator(result.model(), ClipTokenizer.openai());
        // zero-shot on one-shape held-out scenes: which shape, which colour
        ShapesData single = ShapesData.split(false, s.testScenes(), new ShapesWorld.Config(side, 1, 1));
        float[] singleEmb = eval.imageEmbeddings(single);
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
        double shapeAcc = eval.zeroShot(singleEmb, n, shapePrompts, shapeLabels)[0];
        double colourAcc = eval.zeroShot(singleEmb, n, colourPrompts, colourLabels)[0];

        // retrieval on mixed held-out scenes, every caption of every image
        ShapesData mixed = ShapesData.split(false, s.testScenes(), ShapesWorld.Config.of(side));
        ClipEvaluator.Retrieval r = eval.retrieval(mixed);

        Path dir = s.train().outDir();
        writeMetrics(dir.resolve("metrics.json"), shapeAcc, colourAcc, r.metrics(), result, s, config);
        writeHeatMap(dir.resolve("similarity.png"), r, mixed, 24);
        return new Outcome(dir, shapeAcc, colourAcc, r.metrics(), result.seconds(), result.samplesPerSecond());
    }

    private static void writeMetrics(Path file, double shape, double colour, RetrievalMetrics.Result r, ClipTrainer.Result<?> result,
                                     Settings s, ClipConfig config) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> zeroShot = new LinkedHashMap<>(); // in this order on every run (Map.of's order is salted per JVM)
        zeroShot.put("shape", shape);
        zeroShot.put("colour", colour);
        m.put("zeroshot", zeroShot);
        Map<String, Object> retrieval = new LinkedHashMap<>();
        retrieval.put("image_to_text", r.imageToText().toMap());
        retrieval.put("text_to_image", r.textToImage().toMap());
        m.put("retrieval", retrieval);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("model", config.name());
        training.put("steps", s.train().steps());
        training.put("batch", s.train().batch());
        training.put("train_scenes", s.trainScenes());
        training.put("test_scenes", s.testScenes());
        training.put("seconds", result.seconds());
        training.put("samples_per_s", result.samplesPerSecond());
        training.put("final_loss", result.losses().isEmpty() ? null : result.losses().getLast()[1]);
        m.put("training", training);
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }

    /** The first {@code k} images against their first captions: a bright diagonal means retrieval works. */
    private static void writeHeatMap(Path file, ClipEvaluator.Retrieval r, ShapesData data, int k) {
        k = Math.min(k, data.size());
        int[] firstCaption = new int[k];
        int pos = 0;
        for (int i = 0; i < k; i++) {
            firstCaption[i] = pos;
            pos += data.captions(i).size();
        }
        float[] sub = new float[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) sub[i * k + j] = r.similarity()[i * r.texts() + firstCaption[j]];
        HeatMap.save(file, "Cosine similarity: held-out images × their captions", sub, k, k, "image", "caption");
    }
}
