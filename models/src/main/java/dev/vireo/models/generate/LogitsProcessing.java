package dev.vireo.models.generate;

import java.util.Arrays;

/**
 * The logits processors of transformers' {@code generate}, on one row of V scores, in place, in the
 * order transformers applies them ({@code _get_logits_processor}): repetition penalty, minimum
 * length; then, when sampling, the warpers temperature, top-k, top-p. Greedy and sampling apply
 * them to the raw logits, beam search to their log-softmax. Filtered tokens get -∞.
 */
final class LogitsProcessing {
    private LogitsProcessing() {}

    /** The processors (never the warpers): repetition penalty over the row's tokens (prompt included), then min length. */
    static void process(float[] scores, int offset, int vocab, int[] sequence, int length, GenerationConfig config, int eosId) {
        if (config.repetitionPenalty() != 1.0) repetitionPenalty(scores, offset, vocab, sequence, length, (float) config.repetitionPenalty());
        if (config.minLength() > 0 && length < config.minLength() && eosId >= 0 && eosId < vocab) {
            scores[offset + eosId] = Float.NEGATIVE_INFINITY; // MinLengthLogitsProcessor: the prompt counts
        }
    }

    /**
     * RepetitionPenaltyLogitsProcessor: each token in the sequence, once however often it occurs:
     * score / penalty when positive, score · penalty when negative. Ids outside the vocabulary are skipped.
     */
    static void repetitionPenalty(float[] scores, int offset, int vocab, int[] sequence, int length, float penalty) {
        boolean[] seen = new boolean[vocab];
        for (int i = 0; i < length; i++) {
            int id = sequence[i];
            if (id < 0 || id >= vocab || seen[id]) continue;
            seen[id] = true;
            float s = scores[offset + id];
            scores[offset + id] = s < 0 ? s * penalty : s / penalty;
        }
    }

    /**
     * The sampling warpers: temperature (÷ T), top-k (tokens below the k-th largest score filtered;
     * ties with it kept), top-p (the tokens whose ascending cumulative probability stays ≤ 1 - p
     * filtered, the {@code minKeep} most likely always kept).
     */
    static void warp(float[] scores, int offset, int vocab, GenerationConfig config, int minKeep) {
        if (config.temperature() != 1.0) {
            float t = (float) config.temperature();
            for (int i = 0; i < vocab; i++) scores[offset + i] /= t;
        }
        if (config.topK() > 0) topK(scores, offset, vocab, Math.max(config.topK(), minKeep));
        if (config.topP() < 1.0) topP(scores, offset, vocab, config.topP(), minKeep);
    }

    /** TopKLogitsWarper: scores below the k-th largest become -∞. */
    static void topK(float[] scores, int offset, int vocab, int k) {
        if (k >= vocab) return;
        float[] sorted = Arrays.copyOfRange(scores, offset, offset + vocab);
        Arrays.sort(sorted);
        float kth = sorted[vocab - k];
        for (int i = 0; i < vocab; i++) if (scores[offset + i] < kth) scores[offset + i] = Float.NEGATIVE_INFINITY;
    }

    /** TopPLogitsWarper: ascending by score, the tokens whose cumulative softmax is ≤ 1 - p become -∞, the last minKeep kept. */
    static void topP(float[] scores, int offset, int vocab, double p, int minKeep) {
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(scores[offset + a], scores[offset + b])); // ascending, stable
        double[] probs = softmax(scores, offset, vocab);
        double cumulative = 0;
        boolean[] remove = new boolean[vocab];
        for (int r = 0; r < vocab; r++) {
            cumulative += probs[order[r]];
            remove[r] = cumulative <= 1 - p && r < vocab - minKeep;
        }
        for (int r = 0; r < vocab; r++) if (remove[r]) scores[offset + order[r]] = Float.NEGATIVE_INFINITY;
    }

    /** softmax of one row in double; -∞ scores get probability 0. */
    static double[] softmax(float[] scores, int offset, int vocab) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, scores[offset + i]);
        double[] p = new double[vocab];
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            p[i] = Math.exp(scores[offset + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < vocab; i++) p[i] /= sum;
        return p;
    }

    /** log_softmax of one row, in place, in float as torch computes it: x - max - log Σ exp(x - max). */
    static void logSoftmax(float[] scores, int offset, int vocab) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, scores[offset + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += Math.exp(scores[offset + i] - max);
        float logSum = (float) Math.log(sum);
        for (int i = 0; i < vocab; i++) scores[offset + i] = scores[offset + i] - max - logSum;
    }

    /** The first index of the largest score (torch.argmax). */
    static int argmax(float[] scores, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) if (scores[offset + i] > scores[offset + best]) best = i;
        return best;
    }
}
