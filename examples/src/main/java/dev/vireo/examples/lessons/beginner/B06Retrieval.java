package dev.vireo.examples.lessons.beginner;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.ShapesFeatures;
import dev.vireo.examples.plot.LinePlot;
import dev.vireo.examples.simple.SimpleMultimodalModel;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Beginner 6: retrieval. Once pictures and captions share a space, search is a nearest-neighbour
 * lookup: embed the query, embed the gallery once, keep the k most similar. Recall@K counts the
 * queries whose true match is among the first K results. Check: on 256 held-out pictures a caption
 * finds its own picture in the top 10 at least half the time (chance: 10/256).
 */
public final class B06Retrieval implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // region train
        // Step 1: train the two towers contrastively, exactly as in B05.
        ShapesFeatures.Pairs train = ShapesFeatures.split(true, 2048, 1, 2);
        ShapesFeatures.Pairs test = ShapesFeatures.split(false, 256, 1, 2);
        SimpleMultimodalModel model = new SimpleMultimodalModel(ShapesFeatures.IMAGE_DIM, ShapesFeatures.vocabulary().size(), 32, 128, 3);
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> params.put(n, p.value()));
        AdamW adamw = new AdamW(ParamGroups.withWeightDecay(params, 3e-3, 0.01));
        int batch = 64, steps = ctx.quick() ? 100 : 600;
        int[] diagonal = new int[batch];
        for (int i = 0; i < batch; i++) diagonal[i] = i;
        for (int step = 0; step < steps; step++) {
            int start = step * batch % (train.size() - batch + 1);
            Tensor logits = model.computeSimilarity(model.encodeImage(train.imageRows(start, batch)),
                    model.encodeText(train.textRows(start, batch))).mul(10f);  // (B, B), τ = 0.1
            Tensor loss = Losses.crossEntropy(logits, diagonal);                 // ()
            loss.backward();
            adamw.step();
            adamw.zeroGrad();
        }
        out.printf("trained %d steps on %d pairs%n", steps, train.size());
        // endregion train

        // region search
        // Step 2: search. Embed the gallery of held-out pictures once; a caption is the query.
        Tensor gallery, queries;
        try (var ignored = GradMode.noGrad()) {
            gallery = model.encodeImage(test.images());                          // (N, E)
            queries = model.encodeText(test.texts());                            // (N, E)
        }
        int q = 5;
        int[] top = model.retrieve(queries.narrow(0, q, 1), gallery, 5);
        out.println("query: \"" + test.captions().get(q) + "\"");
        for (int r = 0; r < top.length; r++) {
            out.printf("  %d. picture %3d: %s%s%n", r + 1, top[r], test.captions().get(top[r]), top[r] == q ? "   <- the match" : "");
        }
        // endregion search

        // region recall
        // Step 3: Recall@K: the fraction of queries whose own picture is among the top K.
        int n = test.size(), maxK = 20;
        int[] hitsAt = new int[maxK + 1];
        for (int i = 0; i < n; i++) {
            int[] ranked = model.retrieve(queries.narrow(0, i, 1), gallery, maxK);
            for (int r = 0; r < maxK; r++) {
                if (ranked[r] == i) {
                    for (int k = r + 1; k <= maxK; k++) hitsAt[k]++;
                    break;
                }
            }
        }
        double[] ks = new double[maxK], recall = new double[maxK], chance = new double[maxK];
        for (int k = 1; k <= maxK; k++) {
            ks[k - 1] = k;
            recall[k - 1] = (double) hitsAt[k] / n;
            chance[k - 1] = (double) k / n;
        }
        out.printf("caption → picture over %d pictures: R@1 %.3f, R@5 %.3f, R@10 %.3f (chance at 10: %.3f)%n",
                n, recall[0], recall[4], recall[9], chance[9]);
        new LinePlot("B06: Recall@K, caption → picture", "K", "recall").add("trained", ks, recall).add("chance", ks, chance)
                .save(ctx.file("B06_recall.png"));
        return ctx.check("Recall@10 >= 0.5", recall[9] >= 0.5);
        // endregion recall
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new B06Retrieval(), args);
    }
}
