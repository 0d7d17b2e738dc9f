package dev.vireo.models.train;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Top-1 classification over labelled images: a classifier's logits for a whole data set, in batches
 * without gradients, and the share of rows whose highest logit is the label (ties go to the lower
 * class index, as torch's argmax).
 */
public final class Classification {
    private static final int BATCH = 256;

    private Classification() {}

    /** Logits (N, K) row-major of every image of {@code data}: images (B, 3, S, S) → logits (B, K) by {@code classifier}. */
    public static float[] logits(ImageTextData data, int classes, UnaryOperator<Tensor> classifier) {
        int n = data.size(), side = data.imageSize(), per = 3 * side * side;
        float[] out = new float[n * classes]; // (N, K)
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < n; s += BATCH) {
                int b = Math.min(BATCH, n - s);
                float[] pixels = new float[b * per]; // (b, 3, S, S)
                for (int j = 0; j < b; j++) data.image(s + j, pixels, j * per);
                Tensor logits = classifier.apply(Tensor.of(pixels, b, 3, side, side)); // (b, K)
                if (logits.rank() != 2 || logits.size(0) != b || logits.size(1) != classes) {
                    throw new IllegalArgumentException("classification: the classifier gave logits of shape "
                            + Arrays.toString(logits.shape()) + " for " + b + " images of " + classes + " classes");
                }
                System.arraycopy(logits.toArray(), 0, out, s * classes, b * classes);
            }
        }
        return out;
    }

    /** Top-1 accuracy of logits (N, K) against labels in [0, K). */
    public static double accuracy(float[] logits, int n, int classes, int[] labels) {
        if (logits.length != (long) n * classes) throw new IllegalArgumentException("classification: " + logits.length + " logits for " + n + " x " + classes);
        if (labels.length != n) throw new IllegalArgumentException("classification: " + labels.length + " labels for " + n + " rows");
        if (n == 0) return 0;
        int hits = 0;
        for (int i = 0; i < n; i++) if (argmax(logits, i * classes, classes) == labels[i]) hits++;
        return (double) hits / n;
    }

    /** The index of the largest of {@code classes} values from {@code off}; the first of equal ones. */
    static int argmax(float[] values, int off, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (values[off + c] > values[off + best]) best = c;
        return best;
    }
}
