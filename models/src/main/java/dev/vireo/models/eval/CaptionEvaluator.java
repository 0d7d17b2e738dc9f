package dev.vireo.models.eval;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.ImageCaptioner;
import dev.vireo.models.caption.TrainedCaptioner;
import dev.vireo.models.data.CaptionCandidate;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.train.ShapesData;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Held-out captioning measures on the shapes world: every scene captioned, then scored against its
 * reference captions (the generator's paraphrases) with the COCO metrics ({@link CaptionMetrics}),
 * and checked for naming every object right ({@link #objectsCorrect}).
 */
public final class CaptionEvaluator {
    private static final int CHUNK = 64;

    private CaptionEvaluator() {}

    /** One scene's caption. */
    public record Generated(int scene, String caption, boolean objectsCorrect) {}

    /** Corpus metrics ({@link CaptionMetrics#NAMES}), the share of scenes whose objects are all named right, and every caption. */
    public record Result(Map<String, Double> metrics, double objectsCorrect, List<Generated> captions) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(metrics);
            m.put("objects_correct", objectsCorrect);
            m.put("scenes", captions.size());
            return m;
        }
    }

    public static Result evaluate(TrainedCaptioner captioner, ShapesData scenes, GenerationConfig generation) {
        int side = scenes.imageSize(), per = 3 * side * side;
        List<Generated> out = new ArrayList<>(scenes.size());
        List<CaptionCandidate> candidates = new ArrayList<>(scenes.size());
        int right = 0;
        for (int from = 0; from < scenes.size(); from += CHUNK) {
            int n = Math.min(CHUNK, scenes.size() - from);
            float[] pixels = new float[n * per]; // (n, 3, S, S)
            for (int i = 0; i < n; i++) scenes.image(from + i, pixels, i * per);
            List<ImageCaptioner.Caption> captions = captioner.captionPixels(Tensor.of(pixels, n, 3, side, side), null, generation);
            for (int i = 0; i < n; i++) {
                ShapeScene scene = scenes.scenes().get(from + i);
                String text = captions.get(i).text();
                boolean ok = objectsCorrect(text, scene.shapes());
                if (ok) right++;
                out.add(new Generated(from + i, text, ok));
                candidates.add(new CaptionCandidate(Integer.toString(from + i), scene.captions(), text));
            }
        }
        return new Result(CaptionMetrics.evaluate(candidates).corpus(), scenes.size() == 0 ? Double.NaN : (double) right / scenes.size(), out);
    }

    /**
     * Whether {@code caption} names exactly the scene's objects, each by its colour and kind: every
     * kind word with the colour word before it (a size word may stand between), as a set, equal to
     * the scene's (colour, kind) pairs. "a small red circle left of a blue square" is right for a red
     * circle and a blue square; "a blue circle left of a red square", "a red circle" and "a red
     * circle left of a blue circle" are not.
     */
    public static boolean objectsCorrect(String caption, List<PlacedShape> shapes) {
        String[] words = caption.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").trim().split("\\s+");
        Set<String> named = new HashSet<>();
        int mentions = 0;
        for (int i = 0; i < words.length; i++) {
            if (kind(words[i]) == null) continue;
            mentions++;
            String colour = null;
            for (int j = i - 1; j >= Math.max(0, i - 2) && colour == null; j--) if (colour(words[j]) != null) colour = words[j];
            if (colour == null) return false;
            named.add(colour + " " + words[i]);
        }
        Set<String> truth = new HashSet<>();
        for (PlacedShape s : shapes) truth.add(s.colour().word() + " " + s.kind().word());
        return mentions == named.size() && named.equals(truth);
    }

    private static ShapeKind kind(String word) {
        for (ShapeKind k : ShapeKind.values()) if (k.word().equals(word)) return k;
        return null;
    }

    private static ShapeColour colour(String word) {
        for (ShapeColour c : ShapeColour.values()) if (c.word().equals(word)) return c;
        return null;
    }
}
