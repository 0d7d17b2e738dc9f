package dev.vireo.models.eval;

import dev.vireo.models.data.Box;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.Explanation;
import dev.vireo.models.vl.VlExplainer;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlScorer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phrase grounding with a vision-language model that was never trained on boxes: where a text is
 * in an image, as a box read off a heat map of the fusion layers ({@link VlExplainer}) by
 * {@link HeatMapBox}, in the input image's pixels (the model sees the image resized and
 * centre-cropped to its side; the box is mapped back through that window). The heat map is one
 * {@link Explanation.Method} averaged over a set of the text's tokens ({@link Words}).
 */
public final class VlGrounding {
    /** Function words that name nothing in an image: left out of {@link Words#CONTENT}. */
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "of", "to", "and", "or", "is", "are", "in", "on", "at",
            "with", "this", "that", "there", "it");

    /** The text tokens a heat map averages over. */
    public enum Words {
        /** The [CLS] token, the one the matching head reads. */
        CLS,
        /** Every word piece, [CLS] and [SEP] left out. */
        ALL,
        /** The word pieces of content words (not function words such as "a", "the", "of"); all of them if none is left. */
        CONTENT;

        /** The word set of its lower-case name: cls, all or content (case ignored). */
        public static Words parse(String name) {
            for (Words w : values()) if (w.name().equalsIgnoreCase(name)) return w;
            throw new IllegalArgumentException("words '" + name + "' is not one of cls, all, content");
        }
    }

    /**
     * How a box is found: the heat map of {@code method} in fusion layer {@code fusionLayer}
     * (counted from the first fusion layer; a negative index counts from the last, -1 being the
     * last; rollout ignores it), averaged over {@code words}, boxed by {@link HeatMapBox} at
     * {@code fraction} of the map's range.
     */
    public record Settings(Explanation.Method method, int fusionLayer, Words words, double fraction) {
        /**
         * What grounds well on the shapes world whatever a run was trained with: attention rollout
         * through the image tower and the fusion layers ({@link Explanation.Method#FULL_ROLLOUT}),
         * read at [CLS] (the token the matching head reads), boxed at 0.3 of its range. Among the
         * three methods × fusion layers × word sets × thresholds 0.2 to 0.6 on held-out scenes 1000
         * to 1199, it was the best or within 0.03 of the best for each of three `vireo demo vl` runs
         * with part phrases (78-82% Acc@0.5), where the best single-layer attention ranged 40-77%:
         * a tower trained longer mixes the whole image into every token, and only a rollout that
         * starts at the tower's input follows that mixing back to the patches. A run folder keeps
         * the settings chosen for it ({@link GroundingCalibration}); this is for models without.
         */
        public static final Settings DEFAULT = new Settings(Explanation.Method.FULL_ROLLOUT, 0, Words.CLS, 0.3);

        public Settings {
            if (method == null || words == null) throw new IllegalArgumentException("grounding settings: method and words are required");
            if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("grounding settings: fraction must be in [0, 1], got " + fraction);
        }

        @Override
        public String toString() {
            return method.id() + (method.perLayer() ? " layer " + fusionLayer : "") + ", "
                    + words.name().toLowerCase() + " tokens, threshold " + fraction;
        }
    }

    /** A located text: its box in input-image pixels, the heat map's maximum, the heat map [grid²] and the explanation it came from. */
    public record Located(Box box, double score, float[] heatMap, Explanation explanation) {}

    private final VlExplainer explainer;
    private final Settings settings;

    public VlGrounding(VlModel model, WordPieceTokenizer tokenizer) {
        this(model, tokenizer, Settings.DEFAULT);
    }

    public VlGrounding(VlModel model, WordPieceTokenizer tokenizer, Settings settings) {
        this.explainer = new VlExplainer(model, tokenizer);
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Where {@code text} is in {@code image}: the box in the image's pixels. */
    public Located locate(RgbImage image, String text) {
        return locate(explainer.explain(image, text), settings, image.width(), image.height());
    }

    /** The heat map of {@code settings} in an explanation → [gridHeight · gridWidth]. */
    public static float[] heatMap(Explanation e, Settings settings) {
        return e.map(settings.method(), settings.fusionLayer(), positions(e.tokens(), settings.words()));
    }

    /** The positions of {@code words} among tokens ([CLS] first, [SEP] last). */
    public static int[] positions(List<String> tokens, Words words) {
        if (words == Words.CLS) return new int[] {0};
        List<Integer> all = new ArrayList<>(), content = new ArrayList<>();
        for (int i = 1; i < tokens.size() - 1; i++) {
            all.add(i);
            if (!STOP_WORDS.contains(tokens.get(i))) content.add(i);
        }
        List<Integer> chosen = words == Words.CONTENT && !content.isEmpty() ? content : all;
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The query of a shape: "a " and its colour and kind, "a red circle", a phrase of the shapes world's captions. */
    public static String query(PlacedShape shape) {
        return "a " + shape.shortPhrase();
    }

    /**
     * Grounding accuracy on shapes scenes: for every shape of every scene, the text
     * {@link #query(PlacedShape)} is located in the scene's rendered image (the path
     * {@code vireo locate} takes for a PNG of it), and the box counts as correct when its IoU with
     * the generator's true box ({@link PlacedShape#box(int)}, the shape's painted pixels) is at
     * least 0.5. The accuracy is over shapes, not scenes (a two-shape scene counts twice), and the
     * model sees only the scene and the text: it never saw a box in training, so this measures how
     * well its fusion layers tie each phrase to the right pixels. Uses {@link Settings#DEFAULT}.
     */
    public static GroundingMetrics.Result evaluate(VlScorer scorer, List<ShapeScene> scenes) {
        return evaluate(scorer, scenes, List.of(Settings.DEFAULT)).get(Settings.DEFAULT);
    }

    /** {@link #evaluate(VlScorer, List)} for several settings at once: one explanation per shape serves them all. */
    public static Map<Settings, GroundingMetrics.Result> evaluate(VlScorer scorer, List<ShapeScene> scenes, List<Settings> settings) {
        VlExplainer explainer = new VlExplainer(scorer.model(), scorer.tokenizer());
        Map<Settings, List<Box>> predicted = new LinkedHashMap<>();
        for (Settings s : settings) predicted.put(s, new ArrayList<>());
        List<Box> truth = new ArrayList<>();
        for (ShapeScene scene : scenes) {
            int size = scene.imageSize();
            RgbImage image = new RgbImage(size, size, scene.renderRgb());
            for (PlacedShape shape : scene.shapes()) {
                Explanation e = explainer.explain(image, query(shape));
                for (Settings s : settings) predicted.get(s).add(locate(e, s, size, size).box());
                truth.add(shape.box(size));
            }
        }
        Map<Settings, GroundingMetrics.Result> out = new LinkedHashMap<>();
        for (Settings s : settings) out.put(s, GroundingMetrics.evaluate(predicted.get(s), truth, GroundingMetrics.DEFAULT_THRESHOLD));
        return out;
    }

    /** The box of an explanation's heat map, mapped to a width × height input image. */
    static Located locate(Explanation e, Settings settings, int width, int height) {
        float[] map = heatMap(e, settings);
        HeatMapBox.Prediction p = HeatMapBox.predict(map, e.gridHeight(), e.gridWidth(), e.imageSize(), e.imageSize(), settings.fraction());
        return new Located(e.toInput(p.box()).clip(width, height), p.score(), map, e);
    }
}
