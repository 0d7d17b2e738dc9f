package dev.vireo.examples.lessons.beginner;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.plot.LinePlot;

import java.io.PrintStream;

/**
 * Beginner 7: what the temperature does. Contrastive losses turn similarities into probabilities
 * with softmax(s / τ). Cosines live in [-1, 1], so without a small τ even the best match gets only
 * a little more probability than the worst; a small τ sharpens the distribution towards the best
 * match, and a very small one makes it a hard argmax. Checks: sharpness grows monotonically as τ
 * falls, τ = 1 leaves the best match under 50%, τ = 0.01 gives it over 99%.
 */
public final class B07Temperature implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region softmax
        // Step 1: one query's cosines with six candidates; the first is the true match.
        float[] cosines = {0.62f, 0.55f, 0.40f, 0.20f, 0.05f, -0.30f};
        double[] taus = {2.0, 1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01};
        double[] ranks = {1, 2, 3, 4, 5, 6};
        LinePlot curves = new LinePlot("B07: softmax(cos / τ) over six candidates", "candidate (by cosine)", "probability");
        double[] top = new double[taus.length], entropy = new double[taus.length];
        for (int t = 0; t < taus.length; t++) {
            float[] p = Tensor.of(cosines, 6).mul((float) (1 / taus[t])).softmax(0).toArray(); // (6,)
            double[] pd = new double[6];
            for (int i = 0; i < 6; i++) {
                pd[i] = p[i];
                if (p[i] > 0) entropy[t] -= p[i] * Math.log(p[i]);
            }
            top[t] = p[0];
            if (t % 2 == 1 || t == taus.length - 1) curves.add("τ = " + taus[t], ranks, pd);
            out.printf("τ = %-5s p(best) = %.3f  entropy %.3f nats  %s%n", taus[t], top[t], entropy[t], fmt(p));
        }
        curves.save(ctx.file("B07_softmax.png"));
        // endregion softmax

        // region sharpness
        // Step 2: sharpness against τ: the best match's probability and the entropy (ln 6 = uniform).
        new LinePlot("B07: sharpness against temperature", "τ (log scale)", "value").logX()
                .add("p(best)", taus, top).add("entropy / ln 6", taus, scale(entropy, 1 / Math.log(6)))
                .save(ctx.file("B07_sharpness.png"));
        boolean monotone = true;
        for (int t = 1; t < taus.length; t++) monotone &= top[t] > top[t - 1] && entropy[t] < entropy[t - 1];
        ok &= ctx.check("a lower temperature always gives a sharper distribution", monotone);
        ok &= ctx.check("at τ = 1 the best match gets under half the probability", top[1] < 0.5);
        ok &= ctx.check("at τ = 0.01 softmax is nearly a hard argmax (p > 0.99)", top[taus.length - 1] > 0.99);
        // endregion sharpness

        // region gradient
        // Step 3: why it matters for learning: the cross-entropy gradient on the logits is p - onehot,
        // scaled by 1/τ on the cosines. Large τ: every candidate gets a weak push; small τ: only the
        // hardest negatives (those near the top) get pushed, but hard.
        for (double tau : new double[] {1.0, 0.1, 0.01}) {
            float[] p = Tensor.of(cosines, 6).mul((float) (1 / tau)).softmax(0).toArray();
            StringBuilder g = new StringBuilder();
            for (int i = 0; i < 6; i++) g.append(String.format(" %+8.3f", ((i == 0 ? p[i] - 1 : p[i]) / tau)));
            out.printf("dLoss/dcos at τ = %-4s:%s%n", tau, g);
        }
        out.println("plots: B07_softmax.png, B07_sharpness.png");
        // endregion gradient
        return ok;
    }

    static String fmt(float[] p) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < p.length; i++) sb.append(i == 0 ? "" : " ").append(String.format("%.3f", p[i]));
        return sb.append("]").toString();
    }

    static double[] scale(double[] v, double f) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * f;
        return out;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new B07Temperature(), args);
    }
}
