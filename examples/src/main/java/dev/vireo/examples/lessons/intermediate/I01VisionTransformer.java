package dev.vireo.examples.lessons.intermediate;

import dev.vireo.examples.lessons.Lesson;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.PatchEmbedding;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.LrSchedule;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.plot.LinePlot;
import dev.vireo.models.clip.VisionTransformer;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.train.ShapesData;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lesson 4 (intermediate): the Vision Transformer. An image is cut into patches, each patch becomes
 * a token, a class token joins them, and transformer blocks mix the tokens; the class token's final
 * state is the image's feature. We print the shape at every step with the tiny config, then train a
 * tiny ViT plus a linear head to name the shape in one-shape scenes of the shapes world.
 */
public final class I01VisionTransformer implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        VisionConfig vc = ClipConfig.create("tiny").vision();
        int s = vc.imageSize(), p = vc.patchSize(), g = vc.grid(), kinds = ShapeKind.values().length;

        // region patches
        // Step 1: patches are a view: (B, 3, S, S) → (B, 3, g, p, g, p) → (B, g, g, 3, p, p) → (B, P, 3·p·p).
        ShapesWorld.Config one = new ShapesWorld.Config(s, 1, 1);
        ShapesData train = ShapesData.split(true, ctx.quick() ? 768 : 2400, one);
        ShapesData test = ShapesData.split(false, 300, one);
        Tensor images = batch(train, 0, 4);                                             // (4, 3, S, S)
        Tensor patches = images.reshape(4, 3, g, p, g, p).permute(0, 2, 4, 1, 3, 5)
                .reshape(4, g * g, 3 * p * p);                                          // (4, P, 3·p·p)
        out.printf("images %s → patches %s (%d×%d grid of %d×%d patches)%n",
                Shapes.str(images.shape()), Shapes.str(patches.shape()), g, g, p, p);
        // endregion patches

        // region tokens
        // Step 2: a linear map (a stride-p convolution) turns each patch into a width-C token.
        Rng rng = new Rng(4);
        Tensor tokens = new PatchEmbedding(rng, 3, p, vc.width()).forward(images);     // (4, P, C)
        out.printf("patch embedding → tokens %s; with the class token the sequence is T = %d%n",
                Shapes.str(tokens.shape()), vc.tokens());
        // endregion tokens

        // region vit
        // Step 3: the whole tower: positions added, transformer blocks, the class token pooled.
        VisionTransformer vit = new VisionTransformer(rng, vc);
        Linear head = new Linear(rng, vc.width(), kinds, true);
        Tensor pooled = vit.forward(images);                                            // (4, C)
        Tensor logits = head.forward(pooled);                                           // (4, 5)
        out.printf("ViT (%d layers, %d heads, %,d parameters) → pooled %s → head → logits %s%n",
                vc.layers(), vc.heads(), vit.parameterCount(), Shapes.str(pooled.shape()), Shapes.str(logits.shape()));
        // endregion vit

        // region train
        // Step 4: train ViT + head with cross-entropy on the shape kind.
        Map<String, Tensor> params = new LinkedHashMap<>();
        vit.namedParameters().forEach((n, prm) -> params.put("vit." + n, prm.value()));
        head.namedParameters().forEach((n, prm) -> params.put("head." + n, prm.value()));
        AdamW adamw = new AdamW(ParamGroups.withWeightDecay(params, 4e-3, 0.05));
        int steps = ctx.quick() ? 150 : 300, b = ctx.quick() ? 48 : 64;
        LrSchedule schedule = LrSchedule.warmupCosine(steps / 10, steps, 0.05);
        int[] labels = labels(train);
        double[] xs = new double[steps], ys = new double[steps];
        for (int step = 0; step < steps; step++) {
            int start = step * b % (train.size() - b + 1);
            schedule.apply(adamw, step);
            Tensor loss = Losses.crossEntropy(head.forward(vit.forward(batch(train, start, b))),
                    Arrays.copyOfRange(labels, start, start + b));          // ()
            loss.backward();
            adamw.step();
            adamw.zeroGrad();
            xs[step] = step;
            ys[step] = loss.item();
            if (step % Math.max(1, steps / 5) == 0) out.printf("  step %3d  loss %.3f%n", step, ys[step]);
        }
        new LinePlot("I01: tiny ViT on shape kinds", "step", "cross-entropy").add("train", xs, ys).save(ctx.file("I01_loss.png"));
        // endregion train

        // region evaluate
        // Step 5: held-out accuracy, against 20% for guessing among five kinds.
        int[] testLabels = labels(test);
        int hits = 0;
        vit.eval();
        try (var ignored = GradMode.noGrad()) {
            float[] scores = head.forward(vit.forward(batch(test, 0, test.size()))).toArray(); // (N, 5)
            for (int i = 0; i < test.size(); i++) {
                int best = 0;
                for (int c = 1; c < kinds; c++) if (scores[i * kinds + c] > scores[i * kinds + best]) best = c;
                if (best == testLabels[i]) hits++;
            }
        }
        double acc = (double) hits / test.size();
        out.printf("held-out shape accuracy %.1f%% on %d scenes (chance 20%%; loss curve I01_loss.png)%n", 100 * acc, test.size());
        return ctx.check("the tiny ViT names the shape in >= " + (ctx.quick() ? 60 : 90) + "% of held-out scenes",
                acc >= (ctx.quick() ? 0.60 : 0.90));
        // endregion evaluate
    }

    static Tensor batch(ShapesData data, int start, int count) {
        int per = 3 * data.imageSize() * data.imageSize();
        float[] pixels = new float[count * per];                                        // (B, 3, S, S)
        for (int i = 0; i < count; i++) data.image(start + i, pixels, i * per);
        return Tensor.of(pixels, count, 3, data.imageSize(), data.imageSize());
    }

    static int[] labels(ShapesData data) {
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) out[i] = data.scenes().get(i).mainShape().kind().ordinal();
        return out;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new I01VisionTransformer(), args);
    }
}
