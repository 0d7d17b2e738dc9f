package dev.vireo.examples.lessons.advanced;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.vl.MomentumDistillation;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Advanced 4: momentum distillation (ALBEF, Li et al. 2021). Web captions are noisy: some do not
 * describe their picture, and a one-hot target then teaches the model a wrong pair with full force.
 * ALBEF keeps a momentum model, the exponential moving average of the model's weights, whose
 * similarities give soft targets α·softmax(teacher) + (1 − α)·one-hot, and queues of its past
 * embeddings that widen the negatives beyond the batch. The lesson checks the two mechanisms on
 * numbers it can predict (the average moves by 1 − decay of the step; the queue keeps the newest
 * embeddings), then pretrains a small late-fusion model on captions of which a third belong to
 * another picture, with one-hot targets and with distillation, and prints how each ranks clean
 * held-out captions (measured: in a minute the lagging teacher does not pay yet; not checked).
 */
public final class A04MomentumDistillation implements Lesson {
    /** Share of training pictures whose captions are another picture's. */
    static final double NOISE = 1.0 / 3;

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region teacher
        // Step 1: the momentum model is an average of the weights: after a step it moves (1 − decay) of the way.
        VlModel student = new VlModel(TinyVl.config("late"), 1);
        double decay = 0.995;
        MomentumDistillation momentum = new MomentumDistillation(student, decay, 8, 0.4, 1);
        String name = "text_proj.weight";
        float before = momentum.state().tensors().get("ema." + name).dense().toArray()[0];
        float[] weights = student.namedParameters().get(name).value().dense().toArray();
        float moved = weights[0] + 1f;
        student.namedParameters().get(name).value().set(moved, 0, 0);   // the student takes a step of +1 on one weight
        momentum.update();
        float after = momentum.state().tensors().get("ema." + name).dense().toArray()[0];
        double expected = decay * before + (1 - decay) * moved;
        out.printf("teacher weight %.6f -> %.6f after the student's weight moved to %.6f (expected %.6f)%n", before, after, moved, expected);
        ok &= ctx.check("the teacher is the average 0.995·teacher + 0.005·student", Math.abs(after - expected) < 1e-6);
        // endregion teacher

        // region queue
        // Step 2: the queues. Three batches of 4 unit embeddings pushed into a queue of 8: the oldest batch
        // falls out, and ITC compares each image with its batch's texts plus the 8 queued ones.
        int e = student.config().embedDim();
        for (int b = 0; b < 3; b++) {
            Tensor batch = marked(b, e); // (4, E): every entry of batch b is b + 1
            momentum.enqueue(new MomentumDistillation.Teacher(batch, batch, null));
        }
        Tensor all = momentum.withQueue(marked(9, e), false); // (4 + 8, E)
        float[] rows = all.dense().toArray();
        int[] queued = new int[8];
        for (int r = 0; r < 8; r++) queued[r] = Math.round(rows[(4 + r) * e]) - 1;
        out.printf("%d candidate texts per image: 4 of the batch + 8 queued, from batches %s%n", all.size(0), Arrays.toString(queued));
        boolean newest = all.size(0) == 12;
        for (int b : queued) newest &= b == 1 || b == 2;
        ok &= ctx.check("the queue holds the two newest batches, the oldest gone", newest);
        // endregion queue

        // region noisy
        // Step 3: the outcome. The same scenes, a third of them captioned with another scene's captions,
        // pretrained with ITC's one-hot targets and with momentum distillation, then probed on clean scenes.
        ShapesData clean = TinyVl.scenes(true, ctx.quick() ? 200 : 4000);
        ImageTextData noisy = new NoisyCaptions(clean, NOISE, 5);
        int steps = ctx.quick() ? 20 : 400, batch = ctx.quick() ? 8 : 32;
        VlRuns.Loaded oneHot = TinyVl.trained(new TinyVl.Run("late", "itc", steps, batch, false, false), noisy, "noisy");
        VlRuns.Loaded distilled = TinyVl.trained(new TinyVl.Run("late", "itc", steps, batch, false, true), noisy, "noisy");
        ShapesData test = TinyVl.scenes(false, ctx.quick() ? 40 : 200);
        double plain = A03PretrainingObjectives.probe(oneHot, test)[0], soft = A03PretrainingObjectives.probe(distilled, test)[0];
        out.printf("%ntrained on %.0f%% wrong captions, %d steps of %d; own caption ranked above another scene's on clean held-out scenes:%n",
                100 * NOISE, steps, batch);
        out.printf("  one-hot targets        %.1f%%%n  momentum distillation  %.1f%%%n", 100 * plain, 100 * soft);
        out.printf("a teacher of decay %.3f averages the last ~%.0f steps: in a run of %d steps it lags the student, and its soft%n"
                + "targets pay off over long runs on web-scale noise (ALBEF: +1-2 points of retrieval), not in a minute%n",
                decay, 1 / (1 - decay), steps);
        // endregion noisy
        return ok;
    }

    /** (4, E) rows whose every entry is {@code b + 1}: which batch a queued row came from can be read back. */
    private static Tensor marked(int b, int e) {
        float[] v = new float[4 * e];
        Arrays.fill(v, b + 1f);
        return Tensor.of(v, 4, e);
    }

    /** Scenes of which a share carry the captions of another scene (drawn once from a seed). */
    private record NoisyCaptions(ShapesData clean, int[] captionOf) implements ImageTextData {
        NoisyCaptions(ShapesData clean, double share, long seed) {
            this(clean, shuffled(clean.size(), share, seed));
        }

        private static int[] shuffled(int n, double share, long seed) {
            Rng rng = new Rng(seed);
            int[] of = new int[n];
            for (int i = 0; i < n; i++) of[i] = rng.nextDouble() < share ? rng.nextInt(n) : i;
            return of;
        }

        @Override
        public int size() {
            return clean.size();
        }

        @Override
        public int imageSize() {
            return clean.imageSize();
        }

        @Override
        public void image(int index, float[] dst, int off) {
            clean.image(index, dst, off);
        }

        @Override
        public List<String> captions(int index) {
            return clean.captions(captionOf[index]);
        }
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new A04MomentumDistillation(), args);
    }
}
