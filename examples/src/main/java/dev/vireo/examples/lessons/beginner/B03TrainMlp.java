package dev.vireo.examples.lessons.beginner;

import dev.vireo.examples.lessons.Lesson;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.LrSchedule;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.plot.LinePlot;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lesson 3 (beginner): a training loop. Three interleaved 2-D spirals, one class each; an MLP
 * learns to tell them apart with AdamW (decoupled weight decay) and a linear warm-up followed by a
 * cosine decay of the learning rate. The check: at least 95% right on the training points and 90%
 * on held-out points the model never saw.
 */
public final class B03TrainMlp implements Lesson {

    /** 2 → 64 → 64 → 3 with GELU between layers. */
    static final class SpiralNet extends Module {
        final Linear fc1, fc2, fc3;

        SpiralNet(Rng rng) {
            fc1 = child("fc1", new Linear(rng, 2, 64, true));
            fc2 = child("fc2", new Linear(rng, 64, 64, true));
            fc3 = child("fc3", new Linear(rng, 64, 3, true));
        }

        Tensor forward(Tensor x) {
            return fc3.forward(fc2.forward(fc1.forward(x).gelu()).gelu()); // (N, 3) logits
        }
    }

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();

        // region data
        // Step 1: the data. Point i of class c sits at radius r, angle 5r + 2πc/3, plus noise.
        int perClass = 100;
        float[] trainX = new float[3 * perClass * 2], testX = new float[3 * perClass * 2];
        int[] trainY = new int[3 * perClass], testY = new int[3 * perClass];
        spirals(new Rng(10), trainX, trainY);
        spirals(new Rng(11), testX, testY);
        Tensor xTrain = Tensor.of(trainX, 3 * perClass, 2);              // (N, 2)
        Tensor xTest = Tensor.of(testX, 3 * perClass, 2);                // (N, 2)
        out.printf("spirals: %d training and %d held-out points, 3 classes%n", trainY.length, testY.length);
        // endregion data

        // region optimiser
        // Step 2: the model, AdamW with weight decay on the matrices only, and a warm-up + cosine schedule.
        SpiralNet net = new SpiralNet(new Rng(3));
        Map<String, Tensor> params = new LinkedHashMap<>();
        net.namedParameters().forEach((name, p) -> params.put(name, p.value()));
        AdamW adamw = new AdamW(ParamGroups.withWeightDecay(params, 0.02, 1e-4));
        int steps = ctx.quick() ? 250 : 800;
        LrSchedule schedule = LrSchedule.warmupCosine(steps / 20, steps, 0.01);
        out.printf("MLP with %,d parameters; %d full-batch steps, peak lr 0.02, warm-up %d steps%n",
                net.parameterCount(), steps, steps / 20);
        // endregion optimiser

        // region loop
        // Step 3: the loop: set the lr, forward, loss, backward, step, clear the gradients.
        double[] xs = new double[steps], losses = new double[steps], lrs = new double[steps];
        for (int s = 0; s < steps; s++) {
            schedule.apply(adamw, s);
            Tensor loss = Losses.crossEntropy(net.forward(xTrain), trainY); // ()
            loss.backward();
            adamw.step();
            adamw.zeroGrad();
            xs[s] = s;
            losses[s] = loss.item();
            lrs[s] = adamw.groups().getFirst().lr() * 100;
            if (s % (steps / 5) == 0) out.printf("  step %4d  lr %.4f  loss %.4f%n", s, lrs[s] / 100, losses[s]);
        }
        new LinePlot("B03: spirals, AdamW + warm-up/cosine", "step", "value")
                .add("loss", xs, losses).add("lr x 100", xs, lrs).save(ctx.file("B03_loss.png"));
        // endregion loop

        // region evaluate
        // Step 4: accuracy with gradients off: the predicted class is the largest logit.
        double trainAcc = accuracy(net, xTrain, trainY), testAcc = accuracy(net, xTest, testY);
        out.printf("accuracy: train %.1f%%, held-out %.1f%% (loss curve: B03_loss.png)%n", 100 * trainAcc, 100 * testAcc);
        boolean ok = ctx.check("train accuracy >= 95%", trainAcc >= 0.95);
        ok &= ctx.check("held-out accuracy >= 90%", testAcc >= 0.90);
        // endregion evaluate
        return ok;
    }

    static double accuracy(SpiralNet net, Tensor x, int[] labels) {
        try (var ignored = GradMode.noGrad()) {
            float[] logits = net.forward(x).toArray();                   // (N, 3) row-major
            int hits = 0;
            for (int i = 0; i < labels.length; i++) {
                int best = 0;
                for (int c = 1; c < 3; c++) if (logits[i * 3 + c] > logits[i * 3 + best]) best = c;
                if (best == labels[i]) hits++;
            }
            return (double) hits / labels.length;
        }
    }

    /** Fills xy (N×2) and labels with three noisy spirals of N/3 points each. */
    static void spirals(Rng rng, float[] xy, int[] labels) {
        int perClass = labels.length / 3;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < perClass; i++) {
                int k = c * perClass + i;
                double r = (i + 0.5) / perClass;
                double angle = 5 * r + 2 * Math.PI * c / 3 + rng.nextGaussian() * 0.2;
                xy[2 * k] = (float) (r * Math.cos(angle));
                xy[2 * k + 1] = (float) (r * Math.sin(angle));
                labels[k] = c;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new B03TrainMlp(), args);
    }
}
