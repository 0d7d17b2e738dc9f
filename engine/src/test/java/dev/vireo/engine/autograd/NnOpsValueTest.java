package dev.vireo.engine.autograd;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Values of the nn ops against hand-computed results and the properties they must have. */
class NnOpsValueTest {
    private final Rng rng = new Rng(31);

    @Test
    void softmaxRowsSumToOneAlongAnyAxis() {
        Tensor x = Tensor.randn(rng, 0f, 3f, 4, 70, 5);
        for (int axis : new int[] {0, 1, 2}) {
            Tensor p = x.softmax(axis);
            float[] sums = p.sum(axis).toArray();
            for (float s : sums) assertThat(s).isCloseTo(1f, within(1e-5f));
            assertAllClose("x.logSoftmax(axis).exp()", p.toArray(), x.logSoftmax(axis).exp().toArray(), 1e-7, 1e-5);
        }
        assertAllClose("softmax of [0, ln 3]", new float[] {0.25f, 0.75f}, Tensor.of(new float[] {0, (float) Math.log(3)}, 2).softmax(0).toArray(), 0, 1e-6);
    }

    @Test
    void causalMaskHidesTheFuture() {
        int t = 4;
        float[] future = new float[t * t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) future[i * t + j] = 1;
        Tensor mask = Tensor.of(future, t, t);
        Tensor scores = Tensor.randn(rng, 0f, 1f, t, t);
        float[] before = scores.maskedFill(mask, Float.NEGATIVE_INFINITY).softmax(-1).toArray();
        for (int j = 1; j < t; j++) scores.set(100f, 0, j); // change only what row 0 must not see
        float[] after = scores.maskedFill(mask, Float.NEGATIVE_INFINITY).softmax(-1).toArray();
        assertAllClose("row 0 after changing masked scores", before, after, 0, 0);
        assertThat(before[0]).isEqualTo(1f);
    }

    @Test
    void crossEntropyIsMinusLogProbability() {
        Tensor logits = Tensor.randn(rng, 0f, 1f, 3, 6);
        int[] targets = {5, 0, 2};
        float[] logp = logits.logSoftmax(-1).toArray();
        double expected = -(logp[5] + logp[6] + logp[12 + 2]) / 3;
        assertThat(Losses.crossEntropy(logits, targets).item()).isCloseTo((float) expected, within(1e-6f));
        // an ignored row is neither summed nor counted
        double twoRows = -(logp[5] + logp[12 + 2]) / 2;
        assertThat(Losses.crossEntropy(logits, new int[] {5, -1, 2}, -1, 0f).item()).isCloseTo((float) twoRows, within(1e-6f));
        // smoothing ε: (1-ε)·nll + ε·mean over classes of -log p
        double smooth = 0;
        for (int r = 0; r < 3; r++) {
            double uniform = 0;
            for (int c = 0; c < 6; c++) uniform -= logp[r * 6 + c] / 6;
            smooth += 0.9 * -logp[r * 6 + targets[r]] + 0.1 * uniform;
        }
        assertThat(Losses.crossEntropy(logits, targets, -100, 0.1f).item()).isCloseTo((float) (smooth / 3), within(1e-6f));
        assertThat(Losses.crossEntropy(logits, new int[] {-100, -100, -100}).item()).isNaN();
        assertThatThrownBy(() -> Losses.crossEntropy(logits, new int[] {6, 0, 0})).hasMessageContaining("target 6");
    }

    @Test
    void binaryCrossEntropyMatchesTorch() {
        // torch.nn.functional.binary_cross_entropy_with_logits(tensor([[-30, -1.5, 0], [0.25, 2, 40]]),
        //     tensor([[0, 0.3, 1], [0.6, 1, 0.1]])) = 6.357903957366943 (PyTorch 2.13)
        Tensor logits = Tensor.of(new float[] {-30f, -1.5f, 0f, 0.25f, 2f, 40f}, 2, 3);
        float[] targets = {0f, 0.3f, 1f, 0.6f, 1f, 0.1f};
        assertThat(Losses.binaryCrossEntropyWithLogits(logits, targets).item()).isCloseTo(6.357903957366943f, within(1e-5f));
        assertThatThrownBy(() -> Losses.binaryCrossEntropyWithLogits(logits, new float[] {0f, 0f, 0f, 0f, 0f, 1.5f}))
                .hasMessageContaining("target 5 is 1.5");
        assertThatThrownBy(() -> Losses.binaryCrossEntropyWithLogits(logits, new float[] {0f})).hasMessageContaining("1 targets");
    }

    @Test
    void layerNormOutputHasZeroMeanAndUnitVariance() {
        Tensor x = Tensor.randn(rng, 5f, 3f, 8, 96);
        Tensor y = x.layerNorm(null, null, 1e-5f);
        for (float m : y.mean(1).toArray()) assertThat(m).isCloseTo(0f, within(1e-5f));
        for (float v : y.var(new int[] {1}, 0, false).toArray()) assertThat(v).isCloseTo(1f, within(1e-3f));
        Tensor gamma = Tensor.full(2f, 96), beta = Tensor.full(-1f, 96);
        assertAllClose("x.layerNorm(gamma, beta, 1e-5f)", y.mul(2f).add(-1f).toArray(), x.layerNorm(gamma, beta, 1e-5f).toArray(), 1e-5, 1e-5);
        assertThatThrownBy(() -> x.layerNorm(Tensor.ones(95), null, 1e-5f)).hasMessageContaining("gamma");
    }

    @Test
    void dropoutScalesSurvivorsAndIsIdentityWhenOff() {
        Tensor x = Tensor.ones(100, 100);
        assertThat(x.dropout(0f, true, new Rng(1))).isSameAs(x);
        assertThat(x.dropout(0.5f, false, new Rng(1))).isSameAs(x);
        float[] y = x.dropout(0.25f, true, new Rng(1)).toArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) zeros++;
            else assertThat(v).isEqualTo(1f / 0.75f);
        }
        assertThat(zeros / 10000.0).isCloseTo(0.25, within(0.02));
        assertAllClose("dropout, same seed", y, x.dropout(0.25f, true, new Rng(1)).toArray(), 0, 0); // same seed, same mask
        for (float v : x.dropout(1f, true, new Rng(1)).toArray()) assertThat(v).isZero();
        assertThatThrownBy(() -> x.dropout(1.5f, true, new Rng(1))).hasMessageContaining("dropout");
    }

    @Test
    void conv2dMatchesDirectLoops() {
        int[][] cases = {{2, 1}, {1, 0}, {3, 2}, {2, 0}, {4, 0}}; // {stride, padding}
        for (int[] sp : cases) {
            Tensor x = Tensor.randn(rng, 0f, 1f, 2, 3, 9, 8);
            Tensor w = Tensor.randn(rng, 0f, 1f, 4, 3, sp[0] == 4 ? 4 : 3, sp[0] == 4 ? 4 : 3);
            Tensor b = Tensor.randn(rng, 0f, 1f, 4);
            Tensor y = Convolution.conv2d(x, w, b, sp[0], sp[1]);
            assertAllClose("conv2d stride " + sp[0] + " padding " + sp[1], direct(x, w, b, sp[0], sp[1]), y.toArray(), 1e-5, 1e-5);
        }
        assertThatThrownBy(() -> Convolution.conv2d(Tensor.zeros(1, 2, 4, 4), Tensor.zeros(1, 3, 2, 2), null, 1, 0))
                .hasMessageContaining("conv2d");
    }

    /** out[n, o, i, j] = b[o] + Σ x[n, c, i·s - p + u, j·s - p + v]·w[o, c, u, v] */
    private static float[] direct(Tensor x, Tensor w, Tensor b, int s, int p) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = w.size(0), kh = w.size(2), kw = w.size(3);
        int ho = (h + 2 * p - kh) / s + 1, wo = (wd + 2 * p - kw) / s + 1;
        float[] out = new float[n * o * ho * wo];
        int idx = 0;
        for (int in = 0; in < n; in++) for (int oc = 0; oc < o; oc++) for (int i = 0; i < ho; i++) for (int j = 0; j < wo; j++) {
            double acc = b.get(oc);
            for (int ic = 0; ic < c; ic++) for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                int y = i * s - p + u, xx = j * s - p + v;
                if (y >= 0 && y < h && xx >= 0 && xx < wd) acc += (double) x.get(in, ic, y, xx) * w.get(oc, ic, u, v);
            }
            out[idx++] = (float) acc;
        }
        return out;
    }

    @Test
    void normalizeAndCosine() {
        Tensor x = Tensor.of(new float[] {3, 4, 0, 0}, 2, 2);
        assertAllClose("x.l2Normalize(1)", new float[] {0.6f, 0.8f, 0, 0}, x.l2Normalize(1).toArray(), 0, 1e-6);
        Tensor a = Tensor.randn(rng, 0f, 1f, 5, 8);
        assertAllClose("cosine of a and 3a", new float[] {1, 1, 1, 1, 1}, a.cosineSimilarity(a.mul(3f), 1).toArray(), 0, 1e-5);
        assertAllClose("cosine of a and -a", new float[] {-1, -1, -1, -1, -1}, a.cosineSimilarity(a.neg(), 1).toArray(), 0, 1e-5);
        Tensor e0 = Tensor.of(new float[] {1, 0}, 2), e1 = Tensor.of(new float[] {0, 2}, 2);
        assertThat(e0.cosineSimilarity(e1, 0).item()).isZero();
    }

    @Test
    void gatherFollowsTorchSemantics() {
        // torch.gather(t, 1, [[0, 0], [1, 0]]) with t = [[1, 2], [3, 4]] is [[1, 1], [4, 3]]
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertAllClose("gather axis 1", new float[] {1, 1, 4, 3}, t.gather(1, new int[] {0, 0, 1, 0}, 2, 2).toArray(), 0, 0);
        assertAllClose("gather axis 0", new float[] {3, 2}, t.gather(0, new int[] {1, 0}, 1, 2).toArray(), 0, 0);
        assertThatThrownBy(() -> t.gather(1, new int[] {2}, 1, 1)).hasMessageContaining("gather");
        assertThatThrownBy(() -> t.gather(1, new int[] {0, 0, 0}, 3, 1)).hasMessageContaining("exceeds");
    }
}
