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
 * Intermediate 8: batch size is the number of negatives. In a batch of B pairs each picture must
 * beat B - 1 wrong captions, so larger batches pose a harder, more informative task; CLIP trained
 * with 32,768. We train the same two-tower model for the same number of steps at several batch
 * sizes and compare held-out retrieval. Check: the largest batch retrieves better than the smallest.
 */
public final class I08BatchSize implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // region data
        // Step 1: the features and a fixed budget of optimiser steps per run.
        ShapesFeatures.Pairs train = ShapesFeatures.split(true, 4096, 1, 2);
        ShapesFeatures.Pairs test = ShapesFeatures.split(false, 256, 1, 2);
        int steps = ctx.quick() ? 60 : 200;
        int[] batches = {4, 8, 16, 32, 64, 128};
        // endregion data

        // region sweep
        // Step 2: one run per batch size; the loss starts near ln B, the chance level of a B-way choice.
        double[] bs = new double[batches.length], r1 = new double[batches.length], mrr = new double[batches.length];
        for (int i = 0; i < batches.length; i++) {
            int b = batches[i];
            SimpleMultimodalModel model = new SimpleMultimodalModel(ShapesFeatures.IMAGE_DIM, ShapesFeatures.vocabulary().size(), 32, 128, 5);
            Map<String, Tensor> params = new LinkedHashMap<>();
            model.namedParameters().forEach((n, p) -> params.put(n, p.value()));
            AdamW adamw = new AdamW(ParamGroups.withWeightDecay(params, 3e-3, 0.01));
            ClipLoss loss = new ClipLoss(0.1f);
            float first = 0;
            for (int step = 0; step < steps; step++) {
                int start = step * b % (train.size() - b + 1);
                Tensor l = loss.forward(model.encodeImage(train.imageRows(start, b)), model.encodeText(train.textRows(start, b)), null); // ()
                if (step == 0) first = l.item();
                l.backward();
                adamw.step();
                adamw.zeroGrad();
            }
            RetrievalMetrics.Direction t2i = evaluate(model, test);
            bs[i] = b;
            r1[i] = t2i.r1();
            mrr[i] = t2i.mrr();
            out.printf("batch %3d: first loss %.3f (ln B = %.3f); held-out caption → picture R@1 %.3f, MRR %.3f%n",
                    b, first, Math.log(b), r1[i], mrr[i]);
        }
        // endregion sweep

        // region plot
        // Step 3: the picture: retrieval quality against batch size (log scale).
        new LinePlot("I08: held-out retrieval against batch size (" + steps + " steps each)", "batch size (log scale)", "score")
                .logX().add("R@1", bs, r1).add("MRR", bs, mrr).save(ctx.file("I08_batch_size.png"));
        out.println("plot: I08_batch_size.png");
        return ctx.check("batch 128 retrieves better than batch 4 (R@1)", r1[batches.length - 1] > r1[0]);
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
        Lesson.main(new I08BatchSize(), args);
    }
}
