package dev.vireo.examples.lessons.beginner;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.ShapesFeatures;
import dev.vireo.examples.plot.HeatMap;
import dev.vireo.examples.plot.LinePlot;
import dev.vireo.examples.simple.SimpleMultimodalModel;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Beginner 5: a first contrastive loss. In a batch of B picture–caption pairs, picture i should be
 * more similar to caption i than to the B - 1 other captions: that is a B-way classification whose
 * logits are the similarities divided by a temperature, trained with cross-entropy. We train
 * SimpleMultimodalModel this way on shapes-world features and watch matched pairs pull together.
 * Check: on held-out pairs, matched similarity ends at least 0.3 above mismatched similarity.
 */
public final class B05FirstContrastive implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // region data
        // Step 1: pairs of features: a picture (192 pooled pixels) and its caption (a bag of words).
        ShapesFeatures.Pairs train = ShapesFeatures.split(true, 2048, 1, 2);
        ShapesFeatures.Pairs test = ShapesFeatures.split(false, 256, 1, 2);
        SimpleMultimodalModel model = new SimpleMultimodalModel(ShapesFeatures.IMAGE_DIM, ShapesFeatures.vocabulary().size(), 32, 128, 2);
        out.printf("%d training pairs, %d held-out pairs; e.g. \"%s\"%n", train.size(), test.size(), train.captions().getFirst());
        // endregion data

        // region loss
        // Step 2: the loss. logits[i][j] = cos(image i, caption j) / τ; the right answer for row i is column i.
        float tau = 0.1f;
        int batch = 64;
        int[] diagonal = new int[batch];
        for (int i = 0; i < batch; i++) diagonal[i] = i;
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> params.put(n, p.value()));
        AdamW adamw = new AdamW(ParamGroups.withWeightDecay(params, 3e-3, 0.01));
        // endregion loss

        // region train
        // Step 3: train, measuring matched and mismatched similarity on held-out pairs as we go.
        int steps = ctx.quick() ? 100 : 600, every = steps / 10;
        double[] xs = new double[steps / every + 1], matched = new double[xs.length], mismatched = new double[xs.length];
        for (int step = 0; step <= steps; step++) {
            if (step % every == 0) {
                double[] m = similarities(model, test);
                xs[step / every] = step;
                matched[step / every] = m[0];
                mismatched[step / every] = m[1];
                out.printf("  step %4d  held-out similarity: matched %.3f, mismatched %.3f%n", step, m[0], m[1]);
            }
            if (step == steps) break;
            int start = step * batch % (train.size() - batch + 1);
            Tensor img = model.encodeImage(train.imageRows(start, batch));  // (B, E)
            Tensor txt = model.encodeText(train.textRows(start, batch));    // (B, E)
            Tensor logits = model.computeSimilarity(img, txt).mul(1f / tau); // (B, B)
            Tensor loss = Losses.crossEntropy(logits, diagonal);              // ()
            loss.backward();
            adamw.step();
            adamw.zeroGrad();
        }
        new LinePlot("B05: held-out cosine during contrastive training", "step", "mean cosine")
                .add("matched pairs", xs, matched).add("mismatched pairs", xs, mismatched).save(ctx.file("B05_similarity.png"));
        // endregion train

        // region result
        // Step 4: the similarity matrix of 8 held-out pairs now has a bright diagonal.
        try (var ignored = GradMode.noGrad()) {
            Tensor sim = model.computeSimilarity(model.encodeImage(test.imageRows(0, 8)), model.encodeText(test.textRows(0, 8))); // (8, 8)
            HeatMap.save(ctx.file("B05_matrix.png"), "B05: trained cosine(image, caption)", sim.toArray(), 8, 8, "image", "caption");
        }
        double gap = matched[matched.length - 1] - mismatched[mismatched.length - 1];
        out.printf("matched minus mismatched: %.3f at the start, %.3f at the end (B05_similarity.png, B05_matrix.png)%n",
                matched[0] - mismatched[0], gap);
        return ctx.check("held-out matched pairs end >= 0.3 more similar than mismatched ones", gap >= 0.3);
        // endregion result
    }

    /** Mean cosine of matched pairs (the diagonal) and of mismatched pairs (off the diagonal). */
    static double[] similarities(SimpleMultimodalModel model, ShapesFeatures.Pairs pairs) {
        try (var ignored = GradMode.noGrad()) {
            int n = pairs.size();
            float[] s = model.computeSimilarity(model.encodeImage(pairs.images()), model.encodeText(pairs.texts())).toArray(); // (N, N)
            double diag = 0, off = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
                if (i == j) diag += s[i * n + j];
                else off += s[i * n + j];
            }
            return new double[] {diag / n, off / ((double) n * (n - 1))};
        }
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new B05FirstContrastive(), args);
    }
}
