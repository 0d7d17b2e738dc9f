package dev.vireo.examples.lessons.beginner;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.ShapesFeatures;
import dev.vireo.examples.plot.HeatMap;
import dev.vireo.examples.simple.SimpleMultimodalModel;

import java.io.PrintStream;

/**
 * Beginner 4: a joint embedding space. Two encoders map an image and a sentence to vectors of the
 * same width; after L2 normalisation every vector lies on the unit sphere, and the cosine of two
 * of them — a plain dot product — says how alike they are, whatever modality they came from.
 * Checks: unit length, cosine by hand equals the model's similarity matrix, cosine ignores scale.
 */
public final class B04JointSpace implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region cosine
        // Step 1: cosine similarity by hand: cos(a, b) = a·b / (|a|·|b|), in [-1, 1].
        double[] cat = {0.9, 0.1, 0.3}, kitten = {0.8, 0.2, 0.35}, car = {-0.2, 0.9, 0.1};
        out.printf("cos(cat, kitten) = %.3f, cos(cat, car) = %.3f, cos(cat, 10·cat) = %.3f%n",
                cosine(cat, kitten), cosine(cat, car), cosine(cat, new double[] {9, 1, 3}));
        ok &= ctx.check("cosine ignores length: cos(a, 10·a) = 1", Math.abs(cosine(cat, new double[] {9, 1, 3}) - 1) < 1e-12);
        // endregion cosine

        // region encoders
        // Step 2: two encoders into one space. Images: 192 pooled pixels; captions: a bag of words.
        ShapesFeatures.Pairs pairs = ShapesFeatures.split(true, 6, 1, 1);
        int textDim = ShapesFeatures.vocabulary().size();
        SimpleMultimodalModel model = new SimpleMultimodalModel(ShapesFeatures.IMAGE_DIM, textDim, 16, 32, 1);
        Tensor img, txt, sim;
        try (var ignored = GradMode.noGrad()) {
            img = model.encodeImage(pairs.images());                       // (6, 16)
            txt = model.encodeText(pairs.texts());                         // (6, 16)
            sim = model.computeSimilarity(img, txt);                       // (6, 6)
        }
        out.printf("image features (6, %d) → (6, 16); caption features (6, %d) → (6, 16)%n", ShapesFeatures.IMAGE_DIM, textDim);
        double worstNorm = 0;
        for (int r = 0; r < 6; r++) {
            double n2 = 0;
            for (int k = 0; k < 16; k++) n2 += img.get(r, k) * img.get(r, k);
            worstNorm = Math.max(worstNorm, Math.abs(Math.sqrt(n2) - 1));
        }
        ok &= ctx.check("every embedding has length 1", worstNorm < 1e-5);
        // endregion encoders

        // region similarity
        // Step 3: the similarity matrix: entry (i, j) compares image i with caption j.
        double worst = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double dot = 0;
                for (int k = 0; k < 16; k++) dot += img.get(i, k) * txt.get(j, k);
                worst = Math.max(worst, Math.abs(dot - sim.get(i, j)));
            }
        }
        for (int i = 0; i < 6; i++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < 6; j++) row.append(String.format(" %6.3f", sim.get(i, j)));
            out.printf("  %-38s%s%n", pairs.captions().get(i), row);
        }
        HeatMap.save(ctx.file("B04_similarity.png"), "B04: untrained cosine(image, caption)", sim.toArray(), 6, 6, "image", "caption");
        out.println("untrained, the diagonal (matching pairs) is no brighter than the rest: B05 trains it (B04_similarity.png)");
        ok &= ctx.check("the similarity matrix is the dot product of unit vectors", worst < 1e-5);
        // endregion similarity

        // region random
        // Step 4: in many dimensions, random directions are nearly orthogonal: cosines crowd around 0.
        Rng rng = new Rng(7);
        Tensor a = Tensor.randn(rng, 0f, 1f, 200, 512), b = Tensor.randn(rng, 0f, 1f, 200, 512); // (200, 512)
        float[] cos = model.computeSimilarity(a, b).toArray();           // (200, 200)
        double mean = 0, meanSq = 0;
        for (float c : cos) {
            mean += c / cos.length;
            meanSq += (double) c * c / cos.length;
        }
        out.printf("random 512-d directions: mean cosine %.4f, spread %.4f (1/√512 = %.4f)%n", mean, Math.sqrt(meanSq), 1 / Math.sqrt(512));
        ok &= ctx.check("random high-dimensional vectors are nearly orthogonal", Math.abs(Math.sqrt(meanSq) - 1 / Math.sqrt(512)) < 0.01);
        // endregion random
        return ok;
    }

    static double cosine(double[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new B04JointSpace(), args);
    }
}
