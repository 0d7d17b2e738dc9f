package dev.vireo.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.data.shapes.CompositionalPairs;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.examples.plot.ImageOverlay;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.eval.CaptionEvaluator;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.eval.DecoderGrounding;
import dev.vireo.models.eval.GroundingCalibration;
import dev.vireo.models.eval.GroundingMetrics;
import dev.vireo.models.eval.VlGrounding;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.VlExplainer;
import dev.vireo.models.eval.CompositionalEval;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.eval.WinogroundScores;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.eval.VlEvaluator;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vl.VlScorer;

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
 * {@code vireo demo vl}: pretrains a mid-fusion vision-language transformer (ALBEF's ITC, ITM and
 * MLM by default; MRM and swapped negatives when asked) on the shapes world, then measures it on
 * held-out scenes: matching against hard negatives, masked colour and shape words, masked regions (with MRM), retrieval by ITC alone and re-ranked by ITM, and the Winoground-style
 * compositional pairs scored by the matching head, by the model's own embeddings and by the CLIP of
 * {@code vireo demo} (trained here into {@code clip/}). Writes a run folder with {@code metrics.json}.
 */
public final class VlDemo {
    /** Sizes of a run. */
    public record Settings(String model, String objectives, boolean swapNegatives, boolean partPhrases, int trainScenes, int testScenes, int rerankK,
                           int compositionalItems, int clipSteps, int captionSteps, TrainConfig train, Path imageTowerFrom) {}

    /** What a run measured. */
    public record Outcome(Path runDir, VlEvaluator.Matching matching, Map<String, Double> maskedWords, VlEvaluator.Regions regions,
                          VlEvaluator.Retrieval retrieval,
                          Map<String, WinogroundScores.Breakdown> compositional, GroundingMetrics.Result grounding,
                          VlGrounding.Settings groundingSettings, GroundingMetrics.Result decoderGrounding, CaptionEvaluator.Result caption, double trainSeconds, double samplesPerSecond) {}

    /** Steps of the captioner whose image tower starts the VL model (binding comes from the tower: see the README). */
    public static final int CAPTION_STEPS = 1500;

    /** The most tokens a greedy caption of the lm objective's decoder may have. */
    private static final int CAPTION_TOKENS = 20;

    private VlDemo() {}

    public static Settings defaults(Path runDir) {
        TrainConfig t = TrainConfig.builder().steps(2000).batch(64).lr(1e-3).warmup(100).outDir(runDir).checkpointEvery(500).build();
        return new Settings("vl-mid", "itc,itm,mlm,lm", false, true, 8000, 300, 10, 400, ShapesDemo.defaults(runDir).train().steps(), CAPTION_STEPS, t,
                null);
    }

    /**
     * The objectives a model of {@code config} pretrains with by default: ALBEF's ITC, ITM and MLM and
     * BLIP's LM for mid fusion; late fusion has no decoder (no LM), early fusion no embeddings of
     * either side alone (no ITC).
     */
    public static String defaultObjectives(VlConfig config) {
        return switch (config.fusion()) {
            case "late" -> "itc,itm,mlm";
            case "early" -> "itm,mlm";
            default -> "itc,itm,mlm,lm";
        };
    }

    /** Whether the captioner this demo trains first ({@code caption-mini}) has {@code config}'s image tower, so it can start it. */
    public static boolean captionerFits(VlConfig config) {
        return CaptionConfig.resolve("caption-mini").vision().equals(config.vision());
    }

    public static Outcome run(Settings s, PrintStream out) throws IOException {
        VlConfig config = VlConfig.resolve(s.model());
        int side = config.vision().imageSize();
        VlTrainer.Objectives objectives = VlTrainer.Objectives.parse(s.objectives()).withSwapNegatives(s.swapNegatives());
        out.printf("Shapes world: %d training scenes, %d held-out scenes, %d px%n", s.trainScenes(), s.testScenes(), side);
        ShapesData train = ShapesData.split(true, s.trainScenes(), ShapesWorld.Config.of(side));
        out.printf("Pretraining '%s' (%s fusion; %s) for %d steps of %d on %d thread(s)%n", config.name(), config.fusion(), s.objectives(),
                s.train().steps(), s.train().batch(), ComputePool.global().threads());
        Path tower = s.imageTowerFrom() != null || s.captionSteps() == 0 ? s.imageTowerFrom()
                : CaptionDemo.trainImageTower(s.train().outDir().resolve("caption"), train, s.captionSteps(), s.train().seed(),
                        "its image tower starts the VL model", out);
        ClipTrainer.Result<VlModel> result = VlTrainer.train(config, objectives, s.partPhrases() ? train.withPartPhrases() : train, s.train(),
                s.train().steps(), tower,
                RunReports.standard(out, false));
        out.printf("%,d parameters trained%n", result.model().parameterCount());

        VlRuns.Loaded loaded = VlRuns.load(s.train().outDir()); // what a user of the run folder gets
        VlScorer scorer = new VlScorer(loaded.model(), loaded.tokenizer());
        VlEvaluator eval = new VlEvaluator(scorer);
        ShapesData test = ShapesData.split(false, s.testScenes(), ShapesWorld.Config.of(side));
        VlScorer.Images images = eval.images(test);
        VlEvaluator.Matching matching = eval.matching(test, images);
        Map<String, Double> masked = eval.maskedWords(test, images, probeWords());
        VlEvaluator.Retrieval retrieval = config.hasUnimodalEmbeddings() ? eval.retrieval(test, images, s.rerankK()) : null;
        VlEvaluator.Regions regions = loaded.model().config().regionClasses() > 0 ? eval.maskedRegions(test, s.train().seed()) : null;
        GroundingCalibration.Calibrated calibrated = null; // how this run grounds best, chosen on held-out scenes other than the test's
        GroundingMetrics.Result grounding = null;
        if (!config.fusion().equals("late")) {
            calibrated = GroundingCalibration.calibrate(scorer, GroundingCalibration.validationScenes(side));
            GroundingCalibration.write(s.train().outDir(), calibrated);
            grounding = VlGrounding.evaluate(scorer, test.scenes(), List.of(calibrated.settings())).get(calibrated.settings());
        }
        GroundingMetrics.Result decoderGrounding = loaded.model().hasDecoder() // the lm objective's decoder, its cross-attention
                ? DecoderGrounding.of(loaded.model(), loaded.tokenizer()).evaluate(test.scenes()) : null;
        if (!config.fusion().equals("late")) writeExplanations(s.train().outDir(), loaded, test.scenes());
        CaptionEvaluator.Result caption = loaded.model().hasDecoder() // the lm objective's decoder, greedy
                ? CaptionEvaluator.evaluate(new TrainedCaptioner(loaded.model(), loaded.tokenizer(), ""), test, GenerationConfig.greedy(CAPTION_TOKENS))
                : null;

        // the compositional test: this model's matching head and its own embeddings against the CLIP of `vireo demo`
        List<CompositionalPairs.Item> items = CompositionalPairs.generate(CompositionalPairs.SEED, s.compositionalItems(), side);
        Map<String, WinogroundScores.Breakdown> compositional = new LinkedHashMap<>();
        compositional.put("fusion", CompositionalEval.matching(scorer, items));
        if (config.hasUnimodalEmbeddings()) compositional.put("itc", CompositionalEval.contrastive(scorer, items));
        compositional.put("clip", clipBaseline(s, out));
        writeMetrics(s, config, result, matching, masked, regions, retrieval, compositional, grounding, calibrated, decoderGrounding, caption);
        return new Outcome(s.train().outDir(), matching, masked, regions, retrieval, compositional, grounding,
                calibrated == null ? null : calibrated.settings(), decoderGrounding, caption, result.seconds(), result.samplesPerSecond());
    }

    /** Per-word cross-attention and Grad-CAM maps of the first held-out two-shape scene with its first caption. */
    private static void writeExplanations(Path dir, VlRuns.Loaded loaded, List<ShapeScene> scenes) {
        ShapeScene scene = scenes.stream().filter(sc -> sc.shapes().size() == 2).findFirst().orElse(scenes.getFirst());
        RgbImage image = new RgbImage(scene.imageSize(), scene.imageSize(), scene.renderRgb());
        String caption = scene.captions().getFirst();
        Explanation e = new VlExplainer(loaded.model(), loaded.tokenizer()).explain(image, caption);
        for (Explanation.Method m : new Explanation.Method[] {Explanation.Method.ATTENTION, Explanation.Method.GRADCAM}) {
            List<ImageOverlay.Panel> panels = new ArrayList<>();
            for (int t = 0; t < e.tokens().size(); t++) {
                panels.add(new ImageOverlay.Panel(e.tokens().get(t), e.map(m, 0, new int[] {t}), e.gridHeight(), e.gridWidth(), e.window(), null));
            }
            String name = m.name().toLowerCase(Locale.ROOT);
            ImageOverlay.save(dir.resolve(name + ".png"), String.format(Locale.ROOT, "%s, first fusion layer, per word: \"%s\" (match %.2f)",
                    name, caption, e.matchProbability()), image, panels, 5);
        }
    }

    /**
     * Trains the CLIP of {@code vireo demo} (its config and settings, {@code clipSteps} steps, on as
     * many training scenes as the VL model saw) into clip/ and scores the compositional pairs with it.
     */
    private static WinogroundScores.Breakdown clipBaseline(Settings s, PrintStream out) throws IOException {
        ShapesDemo.Settings d = ShapesDemo.defaults(s.train().outDir().resolve("clip"));
        TrainConfig t = d.train().toBuilder().steps(s.clipSteps()).warmup(Math.min(d.train().warmup(), s.clipSteps() / 5))
                .seed(s.train().seed()).build();
        ClipConfig config = ClipConfig.create(d.model());
        int side = config.vision().imageSize();
        out.printf("Training the CLIP of `vireo demo` ('%s', %d steps) for the compositional baseline%n", config.name(), t.steps());
        ClipTrainer.Result<ClipModel> clip = ClipTrainer.train(config, ShapesData.split(true, s.trainScenes(), ShapesWorld.Config.of(side)), t,
                RunReports.standard(out, false));
        clip.model().eval();
        List<CompositionalPairs.Item> items = CompositionalPairs.generate(CompositionalPairs.SEED, s.compositionalItems(), side);
        ClipEvaluator eval = new ClipEvaluator(clip.model(), ClipTokenizer.openai());
        return CompositionalEval.embeddings(eval.imageEmbeddings(CompositionalEval.images(items, side)),
                eval.textEmbeddings(CompositionalEval.captions(items)), config.embedDim(), items);
    }

    /** The words MLM is probed on: every colour and every shape of the world. */
    static Map<String, Set<String>> probeWords() {
        Set<String> colours = new LinkedHashSet<>(), shapes = new LinkedHashSet<>();
        for (ShapeColour c : ShapeColour.values()) colours.add(c.word());
        for (ShapeKind k : ShapeKind.values()) shapes.add(k.word());
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        groups.put("colour", colours);
        groups.put("shape", shapes);
        return groups;
    }

    private static void writeMetrics(Settings s, VlConfig config, ClipTrainer.Result<VlModel> result, VlEvaluator.Matching matching,
                                     Map<String, Double> masked, VlEvaluator.Regions regions, VlEvaluator.Retrieval retrieval,
                                     Map<String, WinogroundScores.Breakdown> compositional, GroundingMetrics.Result grounding,
                                     GroundingCalibration.Calibrated calibrated, GroundingMetrics.Result decoderGrounding,
                                     CaptionEvaluator.Result caption)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("itm", matching.toMap());
        Map<String, Object> mlm = new LinkedHashMap<>();
        mlm.put("accuracy", masked.get("all"));
        mlm.put("colour_accuracy", masked.get("colour"));
        mlm.put("shape_accuracy", masked.get("shape"));
        m.put("mlm", mlm);
        if (regions != null) m.put("mrm", regions.toMap());
        if (retrieval != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("itc", directions(retrieval.itc()));
            r.put("itc_itm_rerank", directions(retrieval.itcItmRerank()));
            r.put("rerank_k", retrieval.k());
            m.put("retrieval", r);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        compositional.forEach((name, b) -> c.put(name, b.toMap()));
        m.put("compositional", c);
        if (grounding != null) {
            Map<String, Object> g = new LinkedHashMap<>(grounding.toMap());
            g.put("settings", calibrated.settings().toString());
            g.put("settings_acc_iou50_on_validation", calibrated.validation().accuracy()); // GroundingCalibration's scenes, not these
            m.put("grounding", g);
        }
        if (decoderGrounding != null) m.put("grounding_decoder", decoderGrounding.toMap());
        if (caption != null) m.put("caption", caption.toMap());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("model", config.name());
        training.put("fusion", config.fusion());
        training.put("objectives", s.objectives());
        training.put("swap_negatives", s.swapNegatives());
        training.put("part_phrases", s.partPhrases());
        if (s.imageTowerFrom() != null) training.put("image_tower_from", s.imageTowerFrom().toString());
        else if (s.captionSteps() > 0) training.put("caption_steps", s.captionSteps());
        training.put("steps", s.train().steps());
        training.put("batch", s.train().batch());
        training.put("train_scenes", s.trainScenes());
        training.put("test_scenes", s.testScenes());
        training.put("parameters", result.model().parameterCount());
        training.put("seconds", result.seconds());
        training.put("samples_per_s", result.samplesPerSecond());
        m.put("training", training);
        AtomicFiles.writeString(s.train().outDir().resolve("metrics.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }

    private static Map<String, Object> directions(RetrievalMetrics.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_to_text", r.imageToText().toMap());
        m.put("text_to_image", r.textToImage().toMap());
        return m;
    }
}
