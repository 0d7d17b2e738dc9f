package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;

/**
 * ALBEF's hard negatives for image-text matching: for each text, one image of the batch drawn with
 * probability proportional to softmax of their contrastive similarity, and for each image one text
 * likewise; the true partner and any pair known to match (another caption of the same image, or an
 * identical caption of another image) are never drawn. Without similarities (early fusion has no
 * embeddings of either side alone) the draw is uniform over the allowed pairs.
 */
public final class HardNegatives {
    private HardNegatives() {}

    /**
     * For each row r of an (n, n) score matrix, a column c with {@code matches[r·n + c]} false, drawn
     * with probability ∝ exp(scores[r·n + c] − max) (uniform when {@code scores} is null). A row with
     * no allowed column gets −1.
     */
    public static int[] draw(float[] scores, boolean[] matches, int n, Rng rng) {
        int[] out = new int[n];
        double[] w = new double[n];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) if (!matches[r * n + c] && scores != null) max = Math.max(max, scores[r * n + c]);
            double total = 0;
            for (int c = 0; c < n; c++) {
                w[c] = matches[r * n + c] ? 0 : scores == null ? 1 : Math.exp(scores[r * n + c] - max);
                total += w[c];
            }
            out[r] = -1;
            if (!(total > 0)) continue;
            double u = rng.nextDouble() * total;
            for (int c = 0; c < n; c++) {
                if (w[c] == 0) continue;
                out[r] = c;
                u -= w[c];
                if (u < 0) break;
            }
        }
        return out;
    }

    /** The (n, n) matrix transposed: image-major scores become text-major. */
    public static float[] transpose(float[] m, int n) {
        float[] t = new float[m.length];
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) t[c * n + r] = m[r * n + c];
        return t;
    }

    public static boolean[] transpose(boolean[] m, int n) {
        boolean[] t = new boolean[m.length];
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) t[c * n + r] = m[r * n + c];
        return t;
    }
}
