package dev.vireo.examples.lessons.beginner;

import dev.vireo.examples.lessons.Lesson;

import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.optim.Sgd;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.examples.plot.LinePlot;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lesson 2 (beginner): automatic differentiation. Every op records how to send a gradient back to
 * its inputs; backward() walks the graph in reverse. We check backward() against finite
 * differences computed by hand in double, first on one neuron, then on a two-layer MLP, and finally
 * let SGD use those gradients to pull a loss down.
 */
public final class B02Autograd implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;

        // region neuron
        // Step 1: one neuron y = tanh(w·x + b), built from tensor ops that record the graph.
        float[] xv = {0.5f, -1.5f, 2.0f}, wv = {0.3f, 0.8f, -0.4f};
        Tensor x = Tensor.of(xv, 1, 3);                                   // (1, 3) an input: no gradient
        Tensor w = Tensor.of(wv.clone(), 3, 1).requiresGrad(true);        // (3, 1) a weight
        Tensor b = Tensor.of(new float[] {0.1f}, 1).requiresGrad(true);   // (1,) a bias
        Tensor y = x.matmul(w).add(b).tanh().sum();                       // () the neuron's output
        y.backward();                                                     // dy/dw, dy/db land in .grad()
        out.printf("neuron: y = %.6f, dy/dw = %s, dy/db = %.6f%n", y.item(), w.grad(), b.grad().item());
        // endregion neuron

        // region finite-differences
        // Step 2: the same derivatives by central differences, (f(p+h) - f(p-h)) / 2h, all in double.
        double h = 1e-6, worst = 0;
        for (int i = 0; i < 3; i++) {
            double[] wp = toDouble(wv), wm = toDouble(wv);
            wp[i] += h;
            wm[i] -= h;
            double numeric = (neuron(xv, wp, 0.1) - neuron(xv, wm, 0.1)) / (2 * h);
            worst = Math.max(worst, Math.abs(numeric - w.grad().get(i, 0)));
        }
        double numericB = (neuron(xv, toDouble(wv), 0.1 + h) - neuron(xv, toDouble(wv), 0.1 - h)) / (2 * h);
        worst = Math.max(worst, Math.abs(numericB - b.grad().item()));
        out.printf("  largest |backward - finite difference| = %.2e%n", worst);
        ok &= ctx.check("the neuron's gradients agree with finite differences", worst < 1e-5);
        // endregion finite-differences

        // region mlp
        // Step 3: a 2-layer MLP, loss = mean((tanh(X·W1 + b1)·W2 - t)²), checked element by element.
        int n = 8, in = 2, hidden = 6;
        Rng rng = new Rng(2);
        Tensor data = Tensor.randn(rng, 0f, 1f, n, in);                   // (N, 2)
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) targets[i] = data.get(i, 0) * data.get(i, 1) > 0 ? 1f : -1f; // same sign → +1
        Tensor target = Tensor.of(targets, n, 1);                        // (N, 1)
        Tensor w1 = Tensor.randn(rng, 0f, 0.7f, in, hidden).requiresGrad(true);  // (2, H)
        Tensor b1 = Tensor.zeros(hidden).requiresGrad(true);                      // (H,)
        Tensor w2 = Tensor.randn(rng, 0f, 0.5f, hidden, 1).requiresGrad(true);    // (H, 1)
        Tensor[] params = {w1, b1, w2};
        Tensor loss = mlpLoss(data, w1, b1, w2, target);                 // ()
        loss.backward();
        double worstMlp = 0;
        for (Tensor p : params) {
            float[] values = p.toArray();
            for (int i = 0; i < values.length; i++) {
                double[][] plus = doubles(params), minus = doubles(params);
                int k = p == w1 ? 0 : p == b1 ? 1 : 2;
                plus[k][i] += h;
                minus[k][i] -= h;
                double numeric = (mlpLossDouble(data.toArray(), targets, plus, in, hidden)
                        - mlpLossDouble(data.toArray(), targets, minus, in, hidden)) / (2 * h);
                worstMlp = Math.max(worstMlp, Math.abs(numeric - p.gradBuffer()[i]));
            }
        }
        out.printf("MLP: loss %.5f; %d parameters checked, largest error %.2e%n", loss.item(), in * hidden + hidden + hidden, worstMlp);
        ok &= ctx.check("every MLP gradient agrees with finite differences", worstMlp < 1e-4);
        // endregion mlp

        // region sgd
        // Step 4: gradient descent: p ← p - lr·∂loss/∂p, zeroing the gradients between steps.
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("w1", w1);
        named.put("b1", b1);
        named.put("w2", w2);
        Sgd sgd = new Sgd(ParamGroups.single(named, 0.3, 0.0));
        int steps = ctx.quick() ? 60 : 300;
        double[] xs = new double[steps], ys = new double[steps];
        for (int s = 0; s < steps; s++) {
            sgd.zeroGrad();
            Tensor l = mlpLoss(data, w1, b1, w2, target);
            l.backward();
            sgd.step();
            xs[s] = s;
            ys[s] = l.item();
            if (s % (steps / 6) == 0) out.printf("  step %3d  loss %.4f%n", s, ys[s]);
        }
        new LinePlot("B02: SGD on a 2-layer MLP", "step", "loss").add("loss", xs, ys).save(ctx.file("B02_loss.png"));
        out.printf("loss %.4f → %.4f (plot: B02_loss.png)%n", ys[0], ys[steps - 1]);
        ok &= ctx.check("SGD cuts the loss at least in half", ys[steps - 1] < 0.5 * ys[0]);
        // endregion sgd
        return ok;
    }

    static Tensor mlpLoss(Tensor data, Tensor w1, Tensor b1, Tensor w2, Tensor target) {
        Tensor hidden = data.matmul(w1).add(b1).tanh();                  // (N, H)
        return hidden.matmul(w2).sub(target).pow(2f).mean();            // ()
    }

    /** The neuron in double: tanh(Σ wᵢxᵢ + b). */
    static double neuron(float[] x, double[] w, double b) {
        double z = b;
        for (int i = 0; i < x.length; i++) z += w[i] * x[i];
        return Math.tanh(z);
    }

    /** The MLP loss in double; p = {W1 (in×H row-major), b1 (H), W2 (H)}. */
    static double mlpLossDouble(float[] data, float[] t, double[][] p, int in, int hidden) {
        double total = 0;
        for (int r = 0; r < t.length; r++) {
            double y = 0;
            for (int j = 0; j < hidden; j++) {
                double z = p[1][j];
                for (int i = 0; i < in; i++) z += data[r * in + i] * p[0][i * hidden + j];
                y += Math.tanh(z) * p[2][j];
            }
            total += (y - t[r]) * (y - t[r]);
        }
        return total / t.length;
    }

    static double[][] doubles(Tensor[] params) {
        double[][] out = new double[params.length][];
        for (int k = 0; k < params.length; k++) out[k] = toDouble(params[k].toArray());
        return out;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new B02Autograd(), args);
    }
}
