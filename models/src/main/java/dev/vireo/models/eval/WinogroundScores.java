package dev.vireo.models.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Winoground's text, image and group scores (Thrush et al., "Winoground: Probing Vision and Language
 * Models for Visio-Linguistic Compositionality", CVPR 2022, §3.2). An item holds captions c0, c1 and
 * images i0, i1, caption k describing image k, and a model's score s(c, i) for all four pairs:
 * <ul>
 *   <li>text correct: each image prefers its caption, s(c0,i0) &gt; s(c1,i0) and s(c1,i1) &gt; s(c0,i1);</li>
 *   <li>image correct: each caption prefers its image, s(c0,i0) &gt; s(c0,i1) and s(c1,i1) &gt; s(c1,i0);</li>
 *   <li>group correct: both.</li>
 * </ul>
 * The comparisons are strict, as in the reference {@code text_correct}, {@code image_correct} and
 * {@code group_correct} of the evaluation code published with the dataset
 * (huggingface.co/datasets/facebook/winoground), so a tie fails and so does a NaN (every comparison
 * with NaN is false). Random scores give 1/4, 1/4 and 1/6.
 * <p>Scores are a flat {@code float[]} laid out {@code [N][2][2]}: item {@code n}'s s(c, i) at
 * {@code 4n + 2c + i}.
 */
public final class WinogroundScores {
    private WinogroundScores() {}

    /** The three scores, fractions of {@code count} items in [0, 1]. */
    public record Result(double text, double image, double group, int count) {
        /** For metrics.json: {@code text_score}, {@code image_score}, {@code group_score}, {@code count}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text_score", text);
            m.put("image_score", image);
            m.put("group_score", group);
            m.put("count", count);
            return m;
        }
    }

    /** The scores over all items and per item kind (kinds sorted by name). */
    public record Breakdown(Result all, Map<String, Result> byKind) {
        public Breakdown {
            byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
        }

        /** {@link Result#toMap()} of all items, plus {@code by_kind}: each kind's map. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = all.toMap();
            Map<String, Object> kinds = new LinkedHashMap<>();
            byKind.forEach((kind, r) -> kinds.put(kind, r.toMap()));
            m.put("by_kind", kinds);
            return m;
        }
    }

    /** Scores of {@code items} items laid out {@code [N][2][2]}. No items score 0. */
    public static Result compute(float[] scores, int items) {
        checkLength(scores, items);
        int text = 0, image = 0, group = 0;
        for (int n = 0; n < items; n++) {
            boolean t = textCorrect(scores, n);
            boolean i = imageCorrect(scores, n);
            if (t) text++;
            if (i) image++;
            if (t && i) group++;
        }
        return result(text, image, group, items);
    }

    /** Scores of all items and of each kind; {@code kinds.get(n)} is item {@code n}'s kind. */
    public static Breakdown compute(float[] scores, List<String> kinds) {
        checkLength(scores, kinds.size());
        Map<String, int[]> tallies = new TreeMap<>(); // kind → {text, image, group, count}
        for (int n = 0; n < kinds.size(); n++) {
            int[] tally = tallies.computeIfAbsent(kinds.get(n), k -> new int[4]);
            boolean t = textCorrect(scores, n);
            boolean i = imageCorrect(scores, n);
            if (t) tally[0]++;
            if (i) tally[1]++;
            if (t && i) tally[2]++;
            tally[3]++;
        }
        Map<String, Result> byKind = new LinkedHashMap<>();
        tallies.forEach((kind, t) -> byKind.put(kind, result(t[0], t[1], t[2], t[3])));
        return new Breakdown(compute(scores, kinds.size()), byKind);
    }

    /** Item {@code n}: s(c0,i0) &gt; s(c1,i0) and s(c1,i1) &gt; s(c0,i1). */
    public static boolean textCorrect(float[] scores, int n) {
        return s(scores, n, 0, 0) > s(scores, n, 1, 0) && s(scores, n, 1, 1) > s(scores, n, 0, 1);
    }

    /** Item {@code n}: s(c0,i0) &gt; s(c0,i1) and s(c1,i1) &gt; s(c1,i0). */
    public static boolean imageCorrect(float[] scores, int n) {
        return s(scores, n, 0, 0) > s(scores, n, 0, 1) && s(scores, n, 1, 1) > s(scores, n, 1, 0);
    }

    /** Item {@code n}: text and image correct. */
    public static boolean groupCorrect(float[] scores, int n) {
        return textCorrect(scores, n) && imageCorrect(scores, n);
    }

    /** s(caption, image) of item {@code n}. */
    private static float s(float[] scores, int n, int caption, int image) {
        return scores[4 * n + 2 * caption + image];
    }

    private static Result result(int text, int image, int group, int count) {
        if (count == 0) return new Result(0, 0, 0, 0);
        return new Result((double) text / count, (double) image / count, (double) group / count, count);
    }

    private static void checkLength(float[] scores, int items) {
        if (items < 0) throw new IllegalArgumentException("winoground: negative item count " + items);
        if (scores.length != 4L * items) {
            throw new IllegalArgumentException("winoground: " + scores.length + " scores for " + items + " items, expected 4 per item laid out [N][caption][image]");
        }
    }
}
