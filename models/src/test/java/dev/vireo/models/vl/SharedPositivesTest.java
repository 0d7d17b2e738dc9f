package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipLoss;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * ITC with every known match as a positive: CLIP's loss, value and gradient, when only the true
 * pairs match; otherwise the cross-entropy against each row's matches shared equally, checked
 * against the formula in double precision.
 */
class SharedPositivesTest {
    private static final int N = 5, E = 7;

    private static boolean[] diagonal() {
        boolean[] m = new boolean[N * N];
        for (int i = 0; i < N; i++) m[i * N + i] = true;
        return m;
    }

    @Test
    void withOnlyTheTruePairsItIsClipsLossAndGradient() {
        float logitScale = 1.3f;
        Tensor image = Tensor.randn(new Rng(3), 0f, 1f, N, E).requiresGrad(true); // (N, E)
        Tensor text = Tensor.randn(new Rng(4), 0f, 1f, N, E).requiresGrad(true);  // (N, E)
        Tensor shared = VlPretraining.sharedPositives(image, text, Tensor.scalar(logitScale).exp(), diagonal(), N); // ()
        shared.backward();
        float[] sharedGrad = image.grad().toArray();
        Tensor image2 = image.detach().requiresGrad(true); // (N, E)
        Tensor clip = new ClipLoss().forward(image2, text.detach(), Tensor.scalar(logitScale)); // ()
        clip.backward();
        assertThat(VlPretraining.onlyDiagonal(diagonal(), N)).isTrue();
        assertThat(shared.item()).isCloseTo(clip.item(), offset(1e-5f));
        float[] clipGrad = image2.grad().toArray();
        for (int k = 0; k < clipGrad.length; k++) assertThat(sharedGrad[k]).as("grad " + k).isCloseTo(clipGrad[k], offset(1e-5f));
    }

    @Test
    void aRowWithSeveralMatchesSharesItsTargetAmongThem() {
        float scale = 4f;
        Tensor image = Tensor.randn(new Rng(5), 0f, 1f, N, E); // (N, E)
        Tensor text = Tensor.randn(new Rng(6), 0f, 1f, N, E);  // (N, E)
        boolean[] m = diagonal();
        m[0 * N + 3] = true; // text 3 is also true of image 0
        m[2 * N + 4] = true; // and text 4 of image 2
        m[1 * N + 3] = true; // and text 3 of image 1
        assertThat(VlPretraining.onlyDiagonal(m, N)).isFalse();
        float loss = VlPretraining.sharedPositives(image, text, Tensor.scalar(scale), m, N).item();

        double[][] i = normalised(image.toArray()), t = normalised(text.toArray());
        double[][] logits = new double[N][N]; // image × text
        for (int r = 0; r < N; r++) for (int c = 0; c < N; c++) for (int e = 0; e < E; e++) logits[r][c] += scale * i[r][e] * t[c][e];
        double i2t = 0, t2i = 0;
        for (int r = 0; r < N; r++) {
            i2t += crossEntropy(logits, r, m, true);
            t2i += crossEntropy(logits, r, m, false);
        }
        assertThat((double) loss).isCloseTo((i2t / N + t2i / N) / 2, offset(1e-5));
    }

    /** −Σ over the row's matches of (1/count)·log softmax, for image row r (i2t) or text row r (t2i). */
    private static double crossEntropy(double[][] logits, int r, boolean[] m, boolean imageRow) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int c = 0; c < N; c++) max = Math.max(max, imageRow ? logits[r][c] : logits[c][r]);
        for (int c = 0; c < N; c++) sum += Math.exp((imageRow ? logits[r][c] : logits[c][r]) - max);
        int count = 0;
        for (int c = 0; c < N; c++) if (imageRow ? m[r * N + c] : m[c * N + r]) count++;
        double loss = 0;
        for (int c = 0; c < N; c++) {
            if (!(imageRow ? m[r * N + c] : m[c * N + r])) continue;
            loss -= ((imageRow ? logits[r][c] : logits[c][r]) - max - Math.log(sum)) / count;
        }
        return loss;
    }

    private static double[][] normalised(float[] rows) {
        double[][] out = new double[N][E];
        for (int r = 0; r < N; r++) {
            double norm = 0;
            for (int e = 0; e < E; e++) norm += (double) rows[r * E + e] * rows[r * E + e];
            for (int e = 0; e < E; e++) out[r][e] = rows[r * E + e] / Math.sqrt(norm);
        }
        return out;
    }
}
