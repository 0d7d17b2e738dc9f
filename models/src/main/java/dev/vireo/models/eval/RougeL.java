package dev.vireo.models.eval;

import java.util.List;

/**
 * ROUGE-L exactly as the COCO caption evaluation computes it (pycocoevalcap {@code rouge.py}; Lin
 * 2004, "ROUGE: A Package for Automatic Evaluation of Summaries"): for each reference the longest
 * common subsequence of words, precision {@code lcs / |candidate|} and recall {@code lcs / |ref|};
 * the maxima of precision and of recall over the references are taken independently, and the score
 * is {@code (1 + β²) P R / (R + β² P)} with β = 1.2, or 0 when either maximum is 0.
 *
 * <p>As in the reference, words are cut at single spaces ({@code s.split(" ")}), not at runs of
 * whitespace: an empty caption is one empty word, and a double space makes an empty word too.
 * Tokenised captions ({@link CaptionTokenizer}) have neither.
 */
public final class RougeL {
    /** Recall weighs β² = 1.44 times as much as precision. */
    public static final double BETA = 1.2;

    private RougeL() {}

    /** ROUGE-L of one candidate against its references (at least one). */
    public static double score(String candidate, List<String> references) {
        if (references.isEmpty()) throw new IllegalArgumentException("ROUGE-L needs at least one reference");
        String[] candidateWords = candidate.split(" ", -1);
        double bestPrecision = 0, bestRecall = 0;
        for (String reference : references) {
            String[] referenceWords = reference.split(" ", -1);
            int lcs = longestCommonSubsequence(referenceWords, candidateWords);
            bestPrecision = Math.max(bestPrecision, lcs / (double) candidateWords.length);
            bestRecall = Math.max(bestRecall, lcs / (double) referenceWords.length);
        }
        if (bestPrecision == 0 || bestRecall == 0) return 0.0;
        double beta2 = BETA * BETA;
        return ((1 + beta2) * bestPrecision * bestRecall) / (bestRecall + beta2 * bestPrecision);
    }

    /** ROUGE-L of every candidate; the corpus figure is their mean. */
    public static double[] compute(List<List<String>> references, List<String> candidates) {
        CaptionMetrics.checkSizes(references, candidates);
        double[] scores = new double[candidates.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = score(candidates.get(i), references.get(i));
        return scores;
    }

    /** Length of the longest common subsequence of two word sequences, in O(|a|·|b|) time and O(|b|) memory. */
    static int longestCommonSubsequence(String[] a, String[] b) {
        int[] previous = new int[b.length + 1], current = new int[b.length + 1];
        for (String wordA : a) {
            for (int j = 1; j <= b.length; j++) {
                current[j] = wordA.equals(b[j - 1]) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }
}
