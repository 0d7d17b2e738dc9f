package dev.vireo.models.bert;

import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * How sentence-transformers turns token states into one sentence vector (its {@code Pooling}
 * module's modes), and whether a {@code Normalize} module follows. The means and maxima run over
 * the tokens the attention mask keeps; the sums are in double, so a sentence's vector does not
 * depend on how much padding its batch had.
 */
public record SentencePooling(Mode mode, boolean normalize) {
    public enum Mode {
        /** The [CLS] token's state. */
        CLS,
        /** Mean over the tokens. */
        MEAN,
        /** Element-wise maximum over the tokens. */
        MAX,
        /** Sum over the tokens divided by √(token count). */
        MEAN_SQRT_LEN;

        /** The suffix of sentence-transformers' {@code pooling_mode_*} config field. */
        public String configName() {
            return switch (this) {
                case CLS -> "cls_token";
                case MEAN -> "mean_tokens";
                case MAX -> "max_tokens";
                case MEAN_SQRT_LEN -> "mean_sqrt_len_tokens";
            };
        }

        /** By sentence-transformers' name ("mean", "cls", "max", "mean_sqrt_len_tokens"). */
        public static Mode of(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "cls", "cls_token" -> CLS;
                case "mean", "mean_tokens" -> MEAN;
                case "max", "max_tokens" -> MAX;
                case "mean_sqrt_len", "mean_sqrt_len_tokens" -> MEAN_SQRT_LEN;
                default -> throw new IllegalArgumentException(OneLine.of("unknown pooling mode '" + name + "'; known: cls, mean, max, mean_sqrt_len_tokens"));
            };
        }
    }

    /** all-MiniLM-L6-v2's: mean over the tokens, then L2 normalisation. */
    public static SentencePooling meanNormalized() {
        return new SentencePooling(Mode.MEAN, true);
    }

    /**
     * hidden (B, T, C) with lengths[b] real tokens at the start of row b → B vectors of C.
     */
    public float[][] apply(Tensor hidden, int[] lengths) {
        int b = hidden.size(0), t = hidden.size(1), c = hidden.size(2);
        float[] h = hidden.contiguous().toArray();
        float[][] out = new float[b][c];
        double[] acc = new double[c];
        for (int i = 0; i < b; i++) {
            int n = lengths[i];
            if (n <= 0 || n > t) throw new IllegalArgumentException("sentence pooling: row " + i + " has " + n + " tokens of " + t);
            int base = i * t * c;
            if (mode == Mode.CLS) {
                for (int k = 0; k < c; k++) acc[k] = h[base + k];
            } else if (mode == Mode.MAX) {
                for (int k = 0; k < c; k++) acc[k] = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) for (int k = 0; k < c; k++) acc[k] = Math.max(acc[k], h[base + j * c + k]);
            } else {
                Arrays.fill(acc, 0);
                for (int j = 0; j < n; j++) for (int k = 0; k < c; k++) acc[k] += h[base + j * c + k];
                double div = mode == Mode.MEAN ? n : Math.sqrt(n);
                for (int k = 0; k < c; k++) acc[k] /= div;
            }
            double norm = 0;
            if (normalize) {
                for (int k = 0; k < c; k++) norm += acc[k] * acc[k];
                norm = Math.max(Math.sqrt(norm), 1e-12); // torch.nn.functional.normalize's eps
            }
            for (int k = 0; k < c; k++) out[i][k] = (float) (normalize ? acc[k] / norm : acc[k]);
        }
        return out;
    }
}
