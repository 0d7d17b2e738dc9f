package dev.vireo.examples.lessons.intermediate;

import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.ShapesFeatures;
import dev.vireo.examples.plot.LinePlot;
import dev.vireo.examples.simple.SimpleMultimodalModel;
import dev.vireo.models.clip.ClipLoss;
import dev.vireo.models.eval.RetrievalMetrics;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Intermediate 9: the temperature in training. B07 showed τ sharpening softmax; here we train the
 * same model at fixed temperatures and measure what it does to learning. Too warm (τ = 1): cosines
 * in [-1, 1] cannot separate the right caption from the rest, the loss saturates and the gradient
 * is weak. Too cold: only the hardest negatives get a gradient. CLIP learns τ, starting at 0.07.
 * Check: the best of τ = 0.2, 0.1, 0.05 retrieves better than both τ = 1 and τ = 0.01.
 */
public final class I09TemperatureSweep implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // region data
        // Step 1: the features, and the temperatures to try.
        ShapesFeatures.Pairs train = ShapesFeatures.split(true, 4096, 1, 2);
        ShapesFeatures.Pairs test = ShapesFeatures.split(false, 256, 1, 2);
        double[] taus = {1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01};
        int steps = ctx.quick() ? 60 : 200, b = 64;
        // endregion data

        // region sweep
        // Step 2: one run per temperature, same seed, data and steps.
        double[] r1 = new double[taus.length], mrr = new double[taus.length];
        for (int i = 0; i < taus.length; i++) {
            SimpleMultimodalModel model = new SimpleMultimodalModel(ShapesFeatures.IMAGE_DIM, ShapesFeatures.vocabulary().size(), 32, 128, 6);
            Map<String, Tensor> params = new LinkedHashMap<>();
            model.namedParameters().forEach((n, p) -> params.put(n, p.value()));
            AdamW adamw = new AdamW(ParamGroups.withWeightDecay(params, 3e-3, 0.01));
            ClipLoss loss = new ClipLoss((float) taus[i]);
            float last = 0;
            for (int step = 0; step < steps; step++) {
                int start = step * b % (train.size() - b + 1);
                Tensor l = loss.forward(model.encodeImage(train.imageRows(start, b)), model.encodeText(train.textRows(start, b)), null); // ()
                last = l.item();
                l.backward();
                adamw.step();
                adamw.zeroGrad();
            }
            RetrievalMetrics.Direction t2i = evaluate(model, test);
            r1[i] = t2i.r1();
            mrr[i] = t2i.mrr();
            out.printf("τ = %-5s final loss %.3f; held-out caption → picture R@1 %.3f, MRR %.3f%n", taus[i], last, r1[i], mrr[i]);
        }
        // endregion sweep

        // region plot
        // Step 3: the picture: retrieval quality against τ (log scale).
        new LinePlot("I09: held-out retrieval against training temperature", "τ (log scale)", "score")
                .logX().add("R@1", taus, r1).add("MRR", taus, mrr).save(ctx.file("I09_temperature.png"));
        out.println("plot: I09_temperature.png");
        double middle = Math.max(r1[2], Math.max(r1[3], r1[4]));            // τ = 0.2, 0.1, 0.05
        return ctx.check("a middle temperature (0.05-0.2) retrieves better than both τ = 1 and τ = 0.01 (R@1)",
                middle > r1[0] && middle > r1[taus.length - 1]);
        // endregion plot
    }

    /** Caption → picture retrieval over the held-out gallery. */
    static RetrievalMetrics.Direction evaluate(SimpleMultimodalModel model, ShapesFeatures.Pairs test) {
        try (var ignored = GradMode.noGrad()) {
            int n = test.size();
            float[] sim = model.computeSimilarity(model.encodeImage(test.images()), model.encodeText(test.texts())).toArray(); // (N, N)
            int[] owner = new int[n];
            for (int i = 0; i < n; i++) owner[i] = i;
            return RetrievalMetrics.compute(sim, n, n, owner).textToImage();
        }
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I09TemperatureSweep(), args);
    }
}
