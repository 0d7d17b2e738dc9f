package dev.vireo.models.eval;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.List;

/**
 * BLEU-1..4 exactly as the COCO caption evaluation computes it (pycocoevalcap {@code bleu_scorer.py},
 * {@code Bleu(4)} with the "closest" reference length; Papineni et al. 2002, "BLEU: a Method for
 * Automatic Evaluation of Machine Translation"). Captions are tokenised text (see
 * {@link CaptionTokenizer}); words are cut at whitespace.
 *
 * <p>Per caption: clipped n-gram matches {@code correct[k]} (each candidate n-gram counts at most as
 * often as in the reference holding it most), {@code guess[k] = max(0, len - k)}, and the reference
 * length closest to the candidate's (the shorter on a tie). BLEU-n is the running product
 * {@code Π_{k<n} (correct[k] + 1e-15) / (guess[k] + 1e-9)} to the power {@code 1/n}, times the
 * brevity penalty {@code exp(1 - 1/r)} when {@code r = (len + 1e-15) / (reflen + 1e-9) < 1}. The
 * corpus figure applies the same formula to the sums of {@code correct}, {@code guess} and both
 * lengths over all captions (not the mean of the per-caption figures).
 */
public final class BleuScore {
    /** BLEU-1 to BLEU-4. */
    public static final int MAX_ORDER = 4;
    private static final double SMALL = 1e-9;
    private static final double TINY = 1e-15;

    private BleuScore() {}

    /**
     * @param corpus    BLEU-1..4 over the corpus, {@code corpus[n - 1]}
     * @param perImage  BLEU-1..4 of each caption, {@code perImage[i][n - 1]}
     */
    public record Scores(double[] corpus, double[][] perImage) {}

    /** BLEU of {@code candidates.get(i)} against {@code references.get(i)}, each list of references non-empty. */
    public static Scores compute(List<List<String>> references, List<String> candidates) {
        CaptionMetrics.checkSizes(references, candidates);
        int images = candidates.size();
        long[] correctSum = new long[MAX_ORDER], guessSum = new long[MAX_ORDER];
        long testLengthSum = 0, refLengthSum = 0;
        double[][] perImage = new double[images][];
        for (int i = 0; i < images; i++) {
            NGramCounts.Cooked test = NGramCounts.cook(candidates.get(i), MAX_ORDER);
            int refLength = -1;
            Object2IntOpenHashMap<String> maxCounts = new Object2IntOpenHashMap<>();
            for (String ref : references.get(i)) {
                NGramCounts.Cooked cooked = NGramCounts.cook(ref, MAX_ORDER);
                refLength = closer(refLength, cooked.length(), test.length());
                for (var e : cooked.counts().object2IntEntrySet()) maxCounts.mergeInt(e.getKey(), e.getIntValue(), Math::max);
            }
            long[] correct = new long[MAX_ORDER], guess = new long[MAX_ORDER];
            for (int k = 0; k < MAX_ORDER; k++) guess[k] = Math.max(0, test.length() - k);
            for (var e : test.counts().object2IntEntrySet()) {
                correct[NGramCounts.Cooked.order(e.getKey()) - 1] += Math.min(maxCounts.getInt(e.getKey()), e.getIntValue());
            }
            perImage[i] = bleu(correct, guess, test.length(), refLength);
            for (int k = 0; k < MAX_ORDER; k++) {
                correctSum[k] += correct[k];
                guessSum[k] += guess[k];
            }
            testLengthSum += test.length();
            refLengthSum += refLength;
        }
        return new Scores(bleu(correctSum, guessSum, testLengthSum, refLengthSum), perImage);
    }

    /** The reference length closest to the candidate's, the shorter of two equally close ({@code min((|l - t|, l))}). */
    private static int closer(int best, int length, int testLength) {
        if (best < 0) return length;
        int d = Math.abs(length - testLength), bestD = Math.abs(best - testLength);
        return d < bestD || (d == bestD && length < best) ? length : best;
    }

    /** BLEU-1..4 from match counts and lengths, with the reference code's smoothing and brevity penalty. */
    private static double[] bleu(long[] correct, long[] guess, long testLength, long refLength) {
        double[] out = new double[MAX_ORDER];
        double product = 1.0;
        for (int k = 0; k < MAX_ORDER; k++) {
            product *= ((double) correct[k] + TINY) / ((double) guess[k] + SMALL);
            out[k] = Math.pow(product, 1.0 / (k + 1));
        }
        double ratio = (testLength + TINY) / (refLength + SMALL); // N.B. in the reference: avoids a zero division
        if (ratio < 1) {
            double penalty = Math.exp(1 - 1 / ratio);
            for (int k = 0; k < MAX_ORDER; k++) out[k] *= penalty;
        }
        return out;
    }
}
