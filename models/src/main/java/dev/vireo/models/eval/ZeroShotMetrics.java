package dev.vireo.models.eval;

/** Top-k accuracy of class scores: a sample counts if its label is among its k highest scores. */
public final class ZeroShotMetrics {
    private ZeroShotMetrics() {}

    /**
     * @param scores row-major (samples × classes)
     * @param labels true class per sample
     */
    public static double topK(float[] scores, int samples, int classes, int[] labels, int k) {
        if (scores.length != (long) samples * classes) {
            throw new IllegalArgumentException("zero-shot: " + scores.length + " scores for " + samples + " x " + classes);
        }
        if (labels.length != samples) throw new IllegalArgumentException("zero-shot: " + labels.length + " labels for " + samples + " samples");
        if (samples == 0) return 0;
        int hits = 0;
        for (int s = 0; s < samples; s++) {
            int label = labels[s];
            if (label < 0 || label >= classes) throw new IllegalArgumentException("zero-shot: label " + label + " of sample " + s + " outside " + classes + " classes");
            float v = scores[s * classes + label];
            int better = 0;
            for (int c = 0; c < classes; c++) {
                float o = scores[s * classes + c];
                if (o > v || (o == v && c < label)) better++;
            }
            if (better < k) hits++;
        }
        return (double) hits / samples;
    }

    /** The index of the highest score of each row (ties: lowest index). */
    public static int[] argmax(float[] scores, int samples, int classes) {
        int[] out = new int[samples];
        for (int s = 0; s < samples; s++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (scores[s * classes + c] > scores[s * classes + best]) best = c;
            out[s] = best;
        }
        return out;
    }
}
