package dev.vireo.models.train;

import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The linear probe: its gradient against the closed form, its fit on separable data, and its determinism. */
class LinearProbeTest {
    static final int CLASSES = 3, DIM = 6;

    /** Unit features around one of three orthogonal directions per class, with noise: linearly separable. */
    static float[] blobs(int n, int[] labels, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * DIM]; // (N, E)
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            double norm = 0;
            for (int k = 0; k < DIM; k++) {
                float v = (float) (0.15 * rng.nextGaussian()) + (k == 2 * labels[i] ? 1f : 0f);
                x[i * DIM + k] = v;
                norm += v * v;
            }
            for (int k = 0; k < DIM; k++) x[i * DIM + k] /= (float) Math.sqrt(norm);
        }
        return x;
    }

    @Test
    void gradientIsTheClosedFormOfPenalisedCrossEntropy() {
        int n = 12;
        int[] labels = new int[n];
        float[] x = blobs(n, labels, 1);
        Rng rng = new Rng(2);
        Linear layer = new Linear(Tensor.randn(rng, 0f, 0.5f, CLASSES, DIM), Tensor.randn(rng, 0f, 0.5f, CLASSES));
        double l2 = 0.3;
        LinearProbe.loss(layer, Tensor.of(x, n, DIM), labels, l2).backward();
        float[] w = layer.weight().value().toArray(), b = layer.bias().value().toArray();
        // dL/dW = (softmax(XWᵀ + b) − Y)ᵀ X / N + λW, dL/db = Σ (softmax − Y) / N, in double
        double[] gw = new double[CLASSES * DIM], gb = new double[CLASSES];
        for (int i = 0; i < n; i++) {
            double[] z = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                z[c] = b[c];
                for (int k = 0; k < DIM; k++) z[c] += (double) w[c * DIM + k] * x[i * DIM + k];
                max = Math.max(max, z[c]);
            }
            for (int c = 0; c < CLASSES; c++) sum += Math.exp(z[c] - max);
            for (int c = 0; c < CLASSES; c++) {
                double r = Math.exp(z[c] - max) / sum - (c == labels[i] ? 1 : 0);
                gb[c] += r / n;
                for (int k = 0; k < DIM; k++) gw[c * DIM + k] += r * x[i * DIM + k] / n;
            }
        }
        for (int j = 0; j < gw.length; j++) gw[j] += l2 * w[j];
        float[] autogradW = layer.weight().value().gradBuffer(), autogradB = layer.bias().value().gradBuffer();
        for (int j = 0; j < gw.length; j++) assertThat((double) autogradW[j]).as("dW[%d]", j).isCloseTo(gw[j], within(1e-5));
        for (int c = 0; c < CLASSES; c++) assertThat((double) autogradB[c]).as("db[%d]", c).isCloseTo(gb[c], within(1e-5));
    }

    @Test
    void separatesSeparableDataAndHeldOutPointsOfTheSameBlobs() {
        int[] labels = new int[300], testLabels = new int[90];
        float[] x = blobs(300, labels, 3), test = blobs(90, testLabels, 4);
        LinearProbe probe = LinearProbe.fit(x, 300, DIM, labels, CLASSES, new LinearProbe.Settings(1e-4, 200, 0.05));
        assertThat(probe.accuracy(x, 300, labels)).isEqualTo(1.0);
        assertThat(probe.accuracy(test, 90, testLabels)).isEqualTo(1.0);
        assertThat(probe.finalLoss()).isLessThan(0.1);
        assertThat(probe.objective(x, 300, labels, 1e-4)).isCloseTo(probe.finalLoss(), within(0.01));
    }

    @Test
    void sameInputsGiveTheSameWeightsToTheBit() {
        int[] labels = new int[120];
        float[] x = blobs(120, labels, 5);
        LinearProbe.Settings s = new LinearProbe.Settings(1e-3, 50, 0.05);
        LinearProbe a = LinearProbe.fit(x, 120, DIM, labels, CLASSES, s), b = LinearProbe.fit(x, 120, DIM, labels, CLASSES, s);
        assertThat(a.weight()).containsExactly(b.weight());
        assertThat(a.bias()).containsExactly(b.bias());
    }

    @Test
    void aStrongerPenaltyGivesSmallerWeights() {
        int[] labels = new int[120];
        float[] x = blobs(120, labels, 6);
        double weak = squaredNorm(LinearProbe.fit(x, 120, DIM, labels, CLASSES, new LinearProbe.Settings(0, 100, 0.05)).weight());
        double strong = squaredNorm(LinearProbe.fit(x, 120, DIM, labels, CLASSES, new LinearProbe.Settings(0.1, 100, 0.05)).weight());
        assertThat(strong).isLessThan(weak);
    }

    @Test
    void refusesBadInputsInOneLine() {
        int[] labels = {0, 1, 2};
        float[] x = new float[3 * DIM];
        LinearProbe.Settings s = LinearProbe.Settings.defaults();
        assertThatThrownBy(() -> LinearProbe.fit(x, 3, DIM, new int[] {0, 1, 3}, CLASSES, s)).hasMessageContaining("label 3 of sample 2");
        assertThatThrownBy(() -> LinearProbe.fit(x, 3, DIM, new int[] {0, 1}, CLASSES, s)).hasMessageContaining("2 labels for 3 features");
        assertThatThrownBy(() -> LinearProbe.fit(new float[5], 3, DIM, labels, CLASSES, s)).hasMessageContaining("5 values are not 3 x 6");
        assertThatThrownBy(() -> new LinearProbe.Settings(-1, 10, 0.1)).hasMessageContaining("l2 must be zero or more");
    }

    private static double squaredNorm(float[] w) {
        double s = 0;
        for (float v : w) s += (double) v * v;
        return s;
    }
}
