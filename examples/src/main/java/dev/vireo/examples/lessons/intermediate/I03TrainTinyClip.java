package dev.vireo.examples.lessons.intermediate;

import dev.vireo.examples.lessons.Lesson;

import dev.vireo.examples.plot.HeatMap;
import dev.vireo.examples.plot.LossCurve;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.eval.ClipEvaluator;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lesson 6 (intermediate): CLIP end to end. A tiny CLIP (ViT image tower, causal text tower, a
 * learnable temperature) is trained contrastively on shapes-world pictures and their captions with
 * {@link ClipTrainer}; then, without any colour labels, it classifies held-out pictures by colour
 * by comparing them with the sentences "a red circle", "a red square", ... The intermediate
 * lessons I05–I07 reuse the model this lesson trains ({@link #trainedModel}).
 */
public final class I03TrainTinyClip implements Lesson {
    private static final Map<Boolean, ClipModel> TRAINED = new HashMap<>();

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // Step 1: train (see train() below), or reuse the model if this JVM has trained it already.
        ClipModel model = trainedModel(ctx);
        out.printf("temperature after training: 1/%.1f (it started at 1/14.3)%n", model.scale().item());

        // region zero-shot
        // Step 2: zero-shot colour. One text embedding per colour, averaged over "a {colour} {kind}" for every kind.
        ClipEvaluator eval = new ClipEvaluator(model, ClipTokenizer.openai());
        ShapesData test = ShapesData.split(false, 400, new ShapesWorld.Config(32, 1, 1));
        float[] images = eval.imageEmbeddings(test);                               // (N, E) unit rows
        List<List<String>> prompts = new ArrayList<>();
        for (ShapeColour c : ShapeColour.values()) {
            prompts.add(Arrays.stream(ShapeKind.values()).map(k -> "a " + c.word() + " " + k.word()).toList());
        }
        int[] labels = new int[test.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = test.scenes().get(i).mainShape().colour().ordinal();
        double[] acc = eval.zeroShot(images, test.size(), prompts, labels);
        out.printf("zero-shot colour on %d held-out pictures: top-1 %.1f%%, top-5 %.1f%% (chance 12.5%%)%n",
                test.size(), 100 * acc[0], 100 * acc[1]);
        // endregion zero-shot

        // region heatmap
        // Step 3: the similarity of 10 held-out pictures with their own captions: a bright diagonal is learning.
        ShapesData few = new ShapesData(test.scenes().subList(0, 10), 32);
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < 10; i++) captions.add(few.captions(i).get(1));
        float[] sim = ClipEvaluator.similarity(eval.imageEmbeddings(few), 10, eval.textEmbeddings(captions), 10,
                model.config().embedDim());                                          // (10, 10)
        Path png = HeatMap.save(ctx.file("I03_similarity.png"), "I03: cosine(image, caption)", sim, 10, 10, "image", "caption");
        int diagonalWins = 0;
        for (int i = 0; i < 10; i++) {
            int best = 0;
            for (int j = 1; j < 10; j++) if (sim[i * 10 + j] > sim[i * 10 + best]) best = j;
            if (best == i || captions.get(best).equals(captions.get(i))) diagonalWins++;
        }
        out.printf("%d of 10 pictures are closest to their own caption (heat map: %s)%n", diagonalWins, png.getFileName());
        // endregion heatmap
        double target = ctx.quick() ? 0.5 : 0.9;
        return ctx.check("zero-shot colour accuracy >= " + Math.round(100 * target) + "%", acc[0] >= target);
    }

    /** Trains the lesson's tiny CLIP on one-shape scenes: a few seconds in quick mode. */
    static ClipModel train(boolean quick, Path runDir, PrintStream out) throws IOException {
        // region train
        // ClipTrainer runs AdamW + warm-up/cosine on the symmetric InfoNCE loss; the LossCurve listener draws loss.png.
        ClipConfig config = ClipConfig.create("tiny");
        ShapesData train = ShapesData.split(true, quick ? 1200 : 4000, new ShapesWorld.Config(32, 1, 1));
        int steps = quick ? 80 : 200;
        TrainConfig cfg = TrainConfig.builder().steps(steps).batch(quick ? 48 : 64).lr(3e-3).warmup(steps / 10)
                .outDir(runDir).checkpointEvery(0).build();
        out.printf("training CLIP '%s' (%,d parameters) for %d steps of %d pairs...%n", config.name(),
                new ClipModel(config, 0).parameterCount(), cfg.steps(), cfg.batch());
        ClipTrainer.Result<ClipModel> r = ClipTrainer.train(config, train, cfg, new LossCurve());
        List<double[]> losses = r.losses();
        out.printf("  loss %.3f → %.3f in %.1f s (%.0f pairs/s); curve in %s%n", losses.getFirst()[1], losses.getLast()[1],
                r.seconds(), r.samplesPerSecond(), runDir.resolve("loss.png"));
        r.model().eval();
        // endregion train
        return r.model();
    }

    /** The tiny CLIP of this lesson, trained once per JVM and mode: lessons I05–I07 build on it. */
    public static synchronized ClipModel trainedModel(Lesson.Context ctx) throws IOException {
        ClipModel m = TRAINED.get(ctx.quick());
        if (m == null) {
            m = train(ctx.quick(), ctx.outputDir().resolve("I03_run"), ctx.out());
            TRAINED.put(ctx.quick(), m);
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I03TrainTinyClip(), args);
    }
}
