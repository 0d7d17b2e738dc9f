package dev.vireo.examples.lessons.intermediate;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.models.clip.ClipLoss;

import java.io.PrintStream;

/**
 * Intermediate 4: batch-wise InfoNCE (van den Oord et al. 2018) as CLIP uses it. For N pairs with
 * unit embeddings I and T, logits = I·Tᵀ / τ; image→text is a cross-entropy over each row with the
 * diagonal as target, text→image the same over each column, and the symmetric loss is their mean.
 * Checks: the loss computed by hand in double equals {@link ClipLoss}; random embeddings give
 * about ln N; aligned embeddings drive it towards 0.
 */
public final class I04InfoNce implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;
        int n = 8, e = 16;
        float tau = 0.07f;
        Rng rng = new Rng(11);
        Tensor images = Tensor.randn(rng, 0f, 1f, n, e);                     // (N, E) unnormalised
        Tensor texts = images.add(Tensor.randn(rng, 0f, 1.5f, n, e));        // (N, E) noisy copies

        // region by-hand
        // Step 1: by hand, in double: normalise, cosine matrix, log-softmax of rows and of columns.
        double[][] cos = new double[n][n];
        double[][] a = unit(images.toArray(), n, e), b = unit(texts.toArray(), n, e);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < e; k++) cos[i][j] += a[i][k] * b[j][k];
        double imageToText = 0, textToImage = 0;
        for (int i = 0; i < n; i++) {
            double rowLse = 0, colLse = 0;
            for (int j = 0; j < n; j++) {
                rowLse += Math.exp(cos[i][j] / tau);                          // over the texts of image i
                colLse += Math.exp(cos[j][i] / tau);                          // over the images of text i
            }
            imageToText += -(cos[i][i] / tau - Math.log(rowLse)) / n;
            textToImage += -(cos[i][i] / tau - Math.log(colLse)) / n;
        }
        double symmetric = (imageToText + textToImage) / 2;
        out.printf("by hand: image→text %.6f, text→image %.6f, symmetric %.6f%n", imageToText, textToImage, symmetric);
        out.println("  (the directions differ: a caption can be near two pictures while each picture is near one caption)");
        // endregion by-hand

        // region library
        // Step 2: the library's loss on the same features (it normalises them itself).
        float library = new ClipLoss(tau).forward(images, texts, null).item();
        out.printf("ClipLoss(τ = %.2f): %.6f%n", tau, library);
        ok &= ctx.check("the hand-computed symmetric InfoNCE equals ClipLoss", Math.abs(library - symmetric) < 1e-4 * Math.max(1, symmetric));
        // endregion library

        // region baselines
        // Step 3: two reference points. Random embeddings at τ = 1: every text is as likely as any other,
        // so the loss is about ln N. Matching embeddings at small τ: the loss goes to 0.
        int big = 64;
        Tensor r1 = Tensor.randn(rng, 0f, 1f, big, 256), r2 = Tensor.randn(rng, 0f, 1f, big, 256); // (64, 256)
        float random = new ClipLoss(1f).forward(r1, r2, null).item();
        float aligned = new ClipLoss(0.01f).forward(r1, r1, null).item();
        out.printf("random pairs, N = %d, τ = 1: %.4f (ln N = %.4f); identical pairs, τ = 0.01: %.2e%n", big, random, Math.log(big), aligned);
        ok &= ctx.check("random embeddings give about ln N", Math.abs(random - Math.log(big)) < 0.05);
        ok &= ctx.check("identical embeddings at small τ give a loss near 0", aligned < 1e-3);
        // endregion baselines

        return ok;
    }

    static double[][] unit(float[] v, int n, int e) {
        double[][] out = new double[n][e];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int k = 0; k < e; k++) norm += (double) v[i * e + k] * v[i * e + k];
            for (int k = 0; k < e; k++) out[i][k] = v[i * e + k] / Math.sqrt(norm);
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I04InfoNce(), args);
    }
}
