package dev.vireo.examples.lessons.intermediate;

import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.LinePlot;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ShapesData;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Intermediate 7: prompt engineering. Zero-shot accuracy depends on the sentence a class name is
 * put in: a model matches text that looks like its training captions. Averaging the embeddings of
 * several prompts per class (an ensemble, as the CLIP paper does with 80 templates) smooths out the
 * quirks of any one. We measure single templates and two ensembles on I03's tiny CLIP. Check: the
 * ensemble over the shape kinds scores at least the mean of the single templates.
 */
public final class I07PromptEngineering implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // region setup
        // Step 1: I03's tiny CLIP, held-out pictures, their colours, the class names.
        ClipModel model = I03TrainTinyClip.trainedModel(ctx);
        ClipEvaluator eval = new ClipEvaluator(model, ClipTokenizer.openai());
        ShapesData test = ShapesData.split(false, 400, new ShapesWorld.Config(32, 1, 1));
        float[] images = eval.imageEmbeddings(test);                            // (N, E)
        int[] labels = new int[test.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = test.scenes().get(i).mainShape().colour().ordinal();
        List<String> names = Arrays.stream(ShapeColour.values()).map(ShapeColour::word).toList();
        // endregion setup

        // region templates
        // Step 2: one template at a time. "{}" is where the class name goes.
        List<String> templates = List.of("{}", "a {} shape", "a photo of a {} thing", "a {} circle", "a small {} square", "a large {} star");
        double[] single = new double[templates.size()];
        for (int t = 0; t < templates.size(); t++) {
            single[t] = eval.zeroShot(images, test.size(), names, List.of(templates.get(t)), labels)[0];
            out.printf("  %-24s %.1f%%%n", "\"" + templates.get(t) + "\"", 100 * single[t]);
        }
        double mean = Arrays.stream(single).average().orElse(0);
        // endregion templates

        // region ensembles
        // Step 3: ensembles: all the templates above averaged; and "a {colour} {kind}" over the five kinds.
        double allTemplates = eval.zeroShot(images, test.size(), names, templates, labels)[0];
        List<List<String>> perKind = new ArrayList<>();
        for (ShapeColour c : ShapeColour.values()) {
            perKind.add(Arrays.stream(ShapeKind.values()).map(k -> "a " + c.word() + " " + k.word()).toList());
        }
        double kinds = eval.zeroShot(images, test.size(), perKind, labels)[0];
        out.printf("mean of single templates %.1f%%; ensemble of all templates %.1f%%; ensemble over kinds %.1f%%%n",
                100 * mean, 100 * allTemplates, 100 * kinds);
        double[] x = new double[single.length + 2], y = new double[single.length + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = i < single.length ? single[i] : i == single.length ? allTemplates : kinds;
        }
        new LinePlot("I07: zero-shot colour by prompt (1-" + single.length + " single, then 2 ensembles)", "prompt", "accuracy")
                .add("top-1", x, y).save(ctx.file("I07_prompts.png"));
        return ctx.check("the ensemble over kinds is at least as good as the average single template", kinds >= mean);
        // endregion ensembles
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I07PromptEngineering(), args);
    }
}
