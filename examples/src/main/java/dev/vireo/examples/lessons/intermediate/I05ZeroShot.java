package dev.vireo.examples.lessons.intermediate;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.HeatMap;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.eval.ZeroShotMetrics;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ShapesData;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Intermediate 5: zero-shot classification. A contrastive model never saw class labels, but it can
 * compare a picture with one sentence per class; the most similar sentence is the prediction. We do
 * it step by step with the tiny CLIP of lesson I03 (encodeText of the class texts, encodeImage of
 * the pictures, a cosine matrix, an argmax), then with {@link ClipEvaluator}. Checks: both give the
 * same accuracy, and it beats chance (1 in 8) at least threefold.
 */
public final class I05ZeroShot implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region model
        // Step 1: the tiny CLIP trained in I03 (trained now if this JVM has not trained it yet).
        ClipModel model = I03TrainTinyClip.trainedModel(ctx);
        ClipTokenizer tok = ClipTokenizer.openai();
        ShapesData test = ShapesData.split(false, 400, new ShapesWorld.Config(32, 1, 1));
        int n = test.size(), classes = ShapeColour.values().length, len = model.config().text().contextLength();
        // endregion model

        // region classifier
        // Step 2: one text per class, embedded once: this (C, E) matrix is the classifier's weight.
        List<String> classTexts = new ArrayList<>();
        for (ShapeColour c : ShapeColour.values()) classTexts.add("a " + c.word() + " square");
        int[] ids = new int[classes * len];                                               // (C, T)
        for (int c = 0; c < classes; c++) System.arraycopy(tok.encode(classTexts.get(c), len), 0, ids, c * len, len);
        float[] scores;
        try (var ignored = GradMode.noGrad()) {
            Tensor weights = Norms.l2Normalize(model.encodeText(ids, classes, len), -1, Norms.NORMALIZE_EPS); // (C, E)
            float[] pixels = new float[n * 3 * 32 * 32];                                  // (N, 3, S, S)
            for (int i = 0; i < n; i++) test.image(i, pixels, i * 3 * 32 * 32);
            Tensor images = Norms.l2Normalize(model.encodeImage(Tensor.of(pixels, n, 3, 32, 32)), -1, Norms.NORMALIZE_EPS); // (N, E)
            scores = images.matmul(weights.transpose(0, 1)).toArray();                    // (N, C) cosines
        }
        // endregion classifier

        // region predict
        // Step 3: predictions are the argmax of each row; accuracy against the true colours.
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = test.scenes().get(i).mainShape().colour().ordinal();
        int[] predicted = ZeroShotMetrics.argmax(scores, n, classes);
        int hits = 0;
        int[] confusion = new int[classes * classes];                                     // (true, predicted)
        for (int i = 0; i < n; i++) {
            if (predicted[i] == labels[i]) hits++;
            confusion[labels[i] * classes + predicted[i]]++;
        }
        double byHand = (double) hits / n;
        float[] conf = new float[confusion.length];
        for (int i = 0; i < conf.length; i++) conf[i] = confusion[i];
        HeatMap.save(ctx.file("I05_confusion.png"), "I05: zero-shot colour, true (rows) vs predicted", conf, classes, classes, "true", "predicted");
        out.printf("class texts %s%nzero-shot colour accuracy by hand: %.1f%% on %d held-out pictures (confusion: I05_confusion.png)%n",
                classTexts, 100 * byHand, n);
        // endregion predict

        // region evaluator
        // Step 4: the library does the same in two calls.
        ClipEvaluator eval = new ClipEvaluator(model, tok);
        List<String> names = Arrays.stream(ShapeColour.values()).map(ShapeColour::word).toList();
        double[] lib = eval.zeroShot(eval.imageEmbeddings(test), n, names, List.of("a {} square"), labels);
        out.printf("ClipEvaluator.zeroShot: top-1 %.1f%%, top-5 %.1f%%%n", 100 * lib[0], 100 * lib[1]);
        ok &= ctx.check("the hand-built classifier and ClipEvaluator agree", Math.abs(lib[0] - byHand) < 1e-9);
        ok &= ctx.check("zero-shot accuracy is at least 3x chance (37.5%)", byHand >= 0.375);
        // endregion evaluator
        return ok;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I05ZeroShot(), args);
    }
}
