package dev.vireo.models.train;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.LrSchedule;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A linear probe (the CLIP paper's evaluation of frozen features): multinomial logistic regression
 * on frozen, L2-normalised image features, logits = x·Wᵀ + b, trained on the whole set at every step
 * (full-batch AdamW, warm-up + cosine) to minimise cross-entropy + (λ/2)·‖W‖² (the bias is not
 * penalised). Full batches and fixed kernel chunks make it deterministic: the same inputs give the
 * same weights to the bit, whatever the thread count. The CLIP paper fits the same objective with
 * L-BFGS and sweeps λ on a validation split; {@link #fit} takes λ as given.
 */
public final class LinearProbe {
    /** How a probe is fitted: λ (the L2 penalty), full-batch steps and the peak learning rate. */
    public record Settings(double l2, int steps, double lr) {
        public Settings {
            if (!(l2 >= 0)) throw new IllegalArgumentException("linear probe: l2 must be zero or more, got " + l2);
            if (steps < 1) throw new IllegalArgumentException("linear probe: at least one step is needed, got " + steps);
            if (!(lr > 0)) throw new IllegalArgumentException("linear probe: lr must be positive, got " + lr);
        }

        /** λ = 1e-4, 300 steps at 0.05: enough for 10 classes on a few hundred dimensions. */
        public static Settings defaults() {
            return new Settings(1e-4, 300, 0.05);
        }
    }

    private final Linear layer; // weight (K, E), bias (K)
    private final double finalLoss;

    private LinearProbe(Linear layer, double finalLoss) {
        this.layer = layer;
        this.finalLoss = finalLoss;
    }

    /** Fits a probe to {@code n} features (N, E) row-major with labels in [0, classes). */
    public static LinearProbe fit(float[] features, int n, int e, int[] labels, int classes, Settings s) {
        checkInputs(features, n, e, labels, classes);
        Linear layer = new Linear(Tensor.zeros(classes, e), Tensor.zeros(classes)); // starts at uniform predictions
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("weight", layer.weight().value());
        params.put("bias", layer.bias().value());
        AdamW optimizer = new AdamW(ParamGroups.single(params, s.lr(), 0)); // the penalty is in the loss, not decoupled
        LrSchedule schedule = LrSchedule.warmupCosine(Math.max(1, s.steps() / 20), s.steps(), 0.0);
        Tensor x = Tensor.of(features, n, e); // (N, E)
        double last = Double.NaN;
        for (int step = 0; step < s.steps(); step++) {
            schedule.apply(optimizer, step);
            Tensor loss = loss(layer, x, labels, s.l2()); // ()
            last = loss.item();
            if (!Double.isFinite(last)) throw new IllegalStateException("linear probe: the loss became " + last + " at step " + step + " (lower lr)");
            loss.backward();
            optimizer.step();
            optimizer.zeroGrad();
        }
        return new LinearProbe(layer, last);
    }

    /** Cross-entropy of the probe's logits plus (λ/2)·‖W‖²: the objective {@link #fit} minimises, with its graph. */
    static Tensor loss(Linear layer, Tensor features, int[] labels, double l2) {
        Tensor logits = layer.forward(features);                               // (N, K)
        Tensor ce = Losses.crossEntropy(logits, labels);                       // ()
        if (l2 == 0) return ce;
        Tensor w = layer.weight().value();                                     // (K, E)
        return ce.add(w.mul(w).sum().mul((float) (l2 / 2)));                  // ()
    }

    /** The objective at {@code features} for the probe's current weights, without a graph (the gradient check's reference). */
    public double objective(float[] features, int n, int[] labels, double l2) {
        checkInputs(features, n, inputs(), labels, classes());
        try (var ignored = GradMode.noGrad()) {
            return loss(layer, Tensor.of(features, n, inputs()), labels, l2).item();
        }
    }

    /** Logits (N, K) row-major of {@code n} features (N, E). */
    public float[] logits(float[] features, int n) {
        if (features.length != (long) n * inputs()) {
            throw new IllegalArgumentException("linear probe: " + features.length + " values are not " + n + " features of " + inputs());
        }
        try (var ignored = GradMode.noGrad()) {
            return layer.forward(Tensor.of(features, n, inputs())).toArray(); // (N, K)
        }
    }

    /** Top-1 accuracy on {@code n} features with their labels. */
    public double accuracy(float[] features, int n, int[] labels) {
        return Classification.accuracy(logits(features, n), n, classes(), labels);
    }

    /** The weight (K, E) row-major, a copy. */
    public float[] weight() {
        return layer.weight().value().toArray();
    }

    /** The bias (K), a copy. */
    public float[] bias() {
        return layer.bias().value().toArray();
    }

    /** The objective at the last step of {@link #fit}. */
    public double finalLoss() {
        return finalLoss;
    }

    public int classes() {
        return layer.outFeatures();
    }

    public int inputs() {
        return layer.inFeatures();
    }

    private static void checkInputs(float[] features, int n, int e, int[] labels, int classes) {
        if (n < 1 || e < 1) throw new IllegalArgumentException("linear probe: need at least one feature of one dimension, got " + n + " x " + e);
        if (features.length != (long) n * e) throw new IllegalArgumentException("linear probe: " + features.length + " values are not " + n + " x " + e);
        if (labels.length != n) throw new IllegalArgumentException("linear probe: " + labels.length + " labels for " + n + " features");
        if (classes < 2) throw new IllegalArgumentException("linear probe: at least two classes are needed, got " + classes);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("linear probe: label " + labels[i] + " of sample " + i + " is outside [0, " + classes + ")");
            }
        }
    }
}
