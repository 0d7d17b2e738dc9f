package dev.vireo.models.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.models.config.JsonErrors;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.VlScorer;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses how a vision-language run grounds a phrase ({@link VlGrounding.Settings}: which heat map,
 * which fusion layer, which tokens, which threshold) on held-out scenes set aside for the choice,
 * and keeps it in the run folder ({@value #FILE}), where {@code vireo locate} reads it. What grounds
 * best depends on what the model was trained with (among the maps over the fusion layers, a run
 * pretrained with the decoder's LM objective grounds best from its first fusion layer's attention,
 * one without from rollout), as ALBEF chose the layer it grounds from on validation data. The scenes chosen on are
 * the held-out world's scenes {@value #VALIDATION_FROM} to {@value #VALIDATION_TO} (exclusive),
 * never the first ones the demos report their figures on.
 */
public final class GroundingCalibration {
    /** The file in a run folder. */
    public static final String FILE = "grounding.json";
    /** The held-out scenes chosen on: {@code ShapesWorld.test} indices [from, to). */
    public static final int VALIDATION_FROM = 1000, VALIDATION_TO = 1200;
    /** Thresholds tried, as fractions of a heat map's range. */
    private static final double[] FRACTIONS = {0.2, 0.3, 0.4, 0.5, 0.6};
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private GroundingCalibration() {}

    /** The chosen settings and what they measured on the scenes they were chosen on. */
    public record Calibrated(VlGrounding.Settings settings, GroundingMetrics.Result validation, int scenes) {}

    /**
     * Every setting tried: each method (attention and Grad-CAM in each of {@code fusionLayers}
     * layers, each rollout once) × each word set × each threshold, in a fixed order that breaks ties.
     */
    public static List<VlGrounding.Settings> candidates(int fusionLayers) {
        List<VlGrounding.Settings> out = new ArrayList<>();
        for (Explanation.Method m : Explanation.Method.values()) {
            int layers = m.perLayer() ? Math.max(1, fusionLayers) : 1;
            for (int layer = 0; layer < layers; layer++) {
                for (VlGrounding.Words w : VlGrounding.Words.values()) {
                    for (double f : FRACTIONS) out.add(new VlGrounding.Settings(m, layer, w, f));
                }
            }
        }
        return out;
    }

    /** The held-out scenes calibration chooses on, at {@code imageSize} px. */
    public static List<ShapeScene> validationScenes(int imageSize) {
        return ShapesWorld.test(VALIDATION_TO, ShapesWorld.Config.of(imageSize)).subList(VALIDATION_FROM, VALIDATION_TO);
    }

    /**
     * The candidate with the highest accuracy at IoU ≥ 0.5 on {@code scenes} (the earliest candidate
     * on a tie), one explanation per shape serving every candidate.
     */
    public static Calibrated calibrate(VlScorer scorer, List<ShapeScene> scenes) {
        if (scenes.isEmpty()) throw new IllegalArgumentException("grounding calibration: no scenes to choose on");
        List<VlGrounding.Settings> candidates = candidates(scorer.model().config().fusionLayers());
        Map<VlGrounding.Settings, GroundingMetrics.Result> results = VlGrounding.evaluate(scorer, scenes, candidates);
        VlGrounding.Settings best = candidates.getFirst();
        for (VlGrounding.Settings s : candidates) if (results.get(s).accuracy() > results.get(best).accuracy()) best = s;
        return new Calibrated(best, results.get(best), scenes.size());
    }

    /** Writes {@value #FILE} into {@code runDir}, atomically. */
    public static void write(Path runDir, Calibrated c) throws IOException {
        VlGrounding.Settings s = c.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", s.method().id());
        m.put("layer", s.fusionLayer());
        m.put("words", s.words().name().toLowerCase(Locale.ROOT));
        m.put("threshold", s.fraction());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("scenes", c.scenes());
        v.put("first_scene", VALIDATION_FROM);
        v.put("acc_iou50", c.validation().accuracy());
        v.put("mean_iou", c.validation().meanIou());
        m.put("chosen_on", v);
        AtomicFiles.writeString(runDir.resolve(FILE), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n");
    }

    /**
     * The settings kept in {@code runDir}, or empty when it has no {@value #FILE}.
     *
     * @throws IllegalArgumentException on a file that is too large, not JSON, or holds a field that is missing or out of range, in one line
     */
    public static Optional<VlGrounding.Settings> read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        if (Files.size(file) > MAX_FILE_BYTES) throw problem(file, "is " + Files.size(file) + " bytes, more than " + MAX_FILE_BYTES);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException | CharConversionException e) { // CharConversionException: bytes that are not text in the encoding Jackson detects
            throw problem(file, "is not valid JSON: " + JsonErrors.oneLine(e));
        }
        if (root == null || !root.isObject()) throw problem(file, "is not a JSON object");
        try {
            return Optional.of(new VlGrounding.Settings(Explanation.Method.parse(text(root, "method", file)), integer(root, "layer", file),
                    VlGrounding.Words.parse(text(root, "words", file)), number(root, "threshold", file)));
        } catch (IllegalArgumentException bad) {
            throw bad.getMessage().startsWith(file.toString()) ? bad : problem(file, bad.getMessage());
        }
    }

    private static String text(JsonNode root, String field, Path file) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual()) throw problem(file, "'" + field + "' must be a string");
        return v.asText();
    }

    private static int integer(JsonNode root, String field, Path file) {
        JsonNode v = root.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) throw problem(file, "'" + field + "' must be an integer");
        return v.intValue();
    }

    private static double number(JsonNode root, String field, Path file) {
        JsonNode v = root.get(field);
        if (v == null || !v.isNumber()) throw problem(file, "'" + field + "' must be a number");
        return v.doubleValue();
    }

    private static IllegalArgumentException problem(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }
}
