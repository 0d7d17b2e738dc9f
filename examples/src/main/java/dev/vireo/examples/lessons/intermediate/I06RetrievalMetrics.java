package dev.vireo.examples.lessons.intermediate;

import dev.vireo.examples.lessons.Lesson;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ShapesData;

import java.io.PrintStream;

/**
 * Intermediate 6: retrieval both ways. Picture → caption ranks every caption for each picture (a
 * picture has five captions: any of them is a hit); caption → picture ranks the pictures for each
 * caption (one is right). Recall@K asks "in the top K?", MRR averages 1/rank of the first hit.
 * Checks: MRR by hand equals {@link RetrievalMetrics}, and both directions beat chance twofold.
 */
public final class I06RetrievalMetrics implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region embed
        // Step 1: embed 100 held-out pictures and their 500 captions with I03's tiny CLIP.
        ClipModel model = I03TrainTinyClip.trainedModel(ctx);
        ShapesData test = ShapesData.split(false, 100, new ShapesWorld.Config(32, 1, 1));
        ClipEvaluator.Retrieval r = new ClipEvaluator(model, ClipTokenizer.openai()).retrieval(test);
        out.printf("%d pictures × %d captions%n", r.images(), r.texts());
        // endregion embed

        // region metrics
        // Step 2: the figures, both directions.
        print(out, "picture → caption", r.metrics().imageToText());
        print(out, "caption → picture", r.metrics().textToImage());
        // endregion metrics

        // region by-hand
        // Step 3: MRR of caption → picture by hand: rank of the right picture in each caption's column.
        int images = r.images(), texts = r.texts();
        int[] owner = new int[texts];                                          // the picture each caption describes
        for (int i = 0, t = 0; i < images; i++) for (int c = 0; c < test.captions(i).size(); c++) owner[t++] = i;
        double mrr = 0;
        for (int t = 0; t < texts; t++) {
            int own = owner[t];
            float mine = r.similarity()[own * texts + t];
            int rank = 1;
            for (int i = 0; i < images; i++) {
                float s = r.similarity()[i * texts + t];
                if (s > mine || (s == mine && i < own)) rank++;
            }
            mrr += 1.0 / rank / texts;
        }
        double chance = 0;
        for (int k = 1; k <= images; k++) chance += 1.0 / k / images;          // expected 1/rank of a random order
        out.printf("caption → picture MRR by hand %.6f, library %.6f; a random ranking scores %.3f%n",
                mrr, r.metrics().textToImage().mrr(), chance);
        ok &= ctx.check("MRR by hand equals RetrievalMetrics", Math.abs(mrr - r.metrics().textToImage().mrr()) < 1e-9);
        ok &= ctx.check("both directions reach at least twice the MRR of a random ranking",
                r.metrics().textToImage().mrr() >= 2 * chance && r.metrics().imageToText().mrr() >= 2 * chance);
        // endregion by-hand
        return ok;
    }

    static void print(PrintStream out, String direction, RetrievalMetrics.Direction m) {
        out.printf("  %s: R@1 %.3f  R@5 %.3f  R@10 %.3f  MRR %.3f  median rank %.1f%n", direction, m.r1(), m.r5(), m.r10(), m.mrr(), m.medianRank());
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I06RetrievalMetrics(), args);
    }
}
