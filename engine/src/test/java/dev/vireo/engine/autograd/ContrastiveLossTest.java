package dev.vireo.engine.autograd;

import dev.vireo.engine.autograd.GradCheck;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.contrastive.ContrastiveReference;
import dev.vireo.engine.kernel.contrastive.PairwiseLogits;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.vireo.engine.testing.Threads.withThreads;
import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The chunked CLIP and SigLIP losses: parity with the full-matrix reference, ln N, gradient checks, determinism. */
class ContrastiveLossTest {

    /** Rows of unit length (what the caller passes). */
    static Tensor unitRows(Rng rng, int n, int e) {
        float[] d = Tensor.randn(rng, 0f, 1f, n, e).toArray();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < e; c++) s += d[i * e + c] * d[i * e + c];
            for (int c = 0; c < e; c++) d[i * e + c] /= (float) Math.sqrt(s);
        }
        return Tensor.of(d, n, e);
    }

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        int[][] sizes = {{1, 1}, {2, 3}, {7, 17}, {33, 16}, {129, 40}, {300, 9}, {PairwiseLogits.ROWS + 77, 8}}; // the last: two row blocks
        for (KernelProvider kp : KernelProvider.all()) {
            for (int[] sz : sizes) list.add(Arguments.of(kp, sz[0], sz[1]));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} N={1} E={2}")
    @MethodSource("cases")
    void clipMatchesReference(KernelProvider kp, int n, int e) {
        Rng rng = new Rng(n * 100L + e);
        Tensor img = unitRows(rng, n, e).requiresGrad(true), txt = unitRows(rng, n, e).requiresGrad(true);
        Tensor t = Tensor.scalar(2.6593f).requiresGrad(true);
        Tensor loss = ContrastiveLoss.clip(img, txt, t, kp);
        loss.backward();
        ContrastiveReference.Result ref = ContrastiveReference.clip(img.toArray(), txt.toArray(), n, e, 2.6593f);
        assertThat((double) loss.item()).isCloseTo(ref.loss(), within(1e-4 * Math.max(1, ref.loss())));
        assertAllClose(kp.name() + " dI", ref.dImage(), img.grad().toArray(), 1e-5, 1e-3);
        assertAllClose(kp.name() + " dT", ref.dText(), txt.grad().toArray(), 1e-5, 1e-3);
        assertThat((double) t.grad().item()).isCloseTo(ref.dScale(), within(1e-4 + 1e-3 * Math.abs(ref.dScale())));
    }

    @ParameterizedTest(name = "{0} N={1} E={2}")
    @MethodSource("cases")
    void siglipMatchesReference(KernelProvider kp, int n, int e) {
        Rng rng = new Rng(n * 100L + e + 1);
        Tensor img = unitRows(rng, n, e).requiresGrad(true), txt = unitRows(rng, n, e).requiresGrad(true);
        Tensor t = Tensor.scalar((float) Math.log(10)).requiresGrad(true), b = Tensor.scalar(-10f).requiresGrad(true);
        Tensor loss = ContrastiveLoss.siglip(img, txt, t, b, kp);
        loss.backward();
        ContrastiveReference.Result ref = ContrastiveReference.siglip(img.toArray(), txt.toArray(), n, e, t.item(), b.item());
        assertThat((double) loss.item()).isCloseTo(ref.loss(), within(1e-4 * Math.max(1, ref.loss())));
        assertAllClose(kp.name() + " dI", ref.dImage(), img.grad().toArray(), 1e-5, 1e-3);
        assertAllClose(kp.name() + " dT", ref.dText(), txt.grad().toArray(), 1e-5, 1e-3);
        assertThat((double) t.grad().item()).isCloseTo(ref.dScale(), within(1e-4 + 1e-3 * Math.abs(ref.dScale())));
        assertThat((double) b.grad().item()).isCloseTo(ref.dBias(), within(1e-4 + 1e-3 * Math.abs(ref.dBias())));
    }

    @Test
    void infoNceOfRandomEmbeddingsIsLnN() {
        Rng rng = new Rng(5);
        int n = 256;
        Tensor loss = ContrastiveLoss.clip(unitRows(rng, n, 512), unitRows(rng, n, 512), Tensor.scalar(0f));
        // with t = 0 the logits are cosines of nearly orthogonal vectors, so every softmax is nearly uniform
        assertThat((double) loss.item()).isCloseTo(Math.log(n), within(0.01));
    }

    @Test
    void gradientsIncludingTemperatureAndBiasMatchFiniteDifferences() {
        Rng rng = new Rng(11);
        Tensor img = Tensor.randn(rng, 0f, 0.5f, 5, 4).requiresGrad(true);
        Tensor txt = Tensor.randn(rng, 0f, 0.5f, 5, 4).requiresGrad(true);
        Tensor t = Tensor.scalar(0.7f).requiresGrad(true), b = Tensor.scalar(-1.5f).requiresGrad(true);
        GradCheck.Result clip = GradCheck.check(x -> ContrastiveLoss.clip(x[0], x[1], x[2]),
                new Tensor[] {img, txt, t}, 1e-2, 2e-3, 2e-2);
        assertThat(clip.ok()).as(clip.worst()).isTrue();
        GradCheck.Result sig = GradCheck.check(x -> ContrastiveLoss.siglip(x[0], x[1], x[2], x[3]),
                new Tensor[] {img, txt, t, b}, 1e-2, 2e-3, 2e-2);
        assertThat(sig.ok()).as(sig.worst()).isTrue();
    }

    @Test
    void sameBitsForOneAndTwoThreads() {
        Rng rng = new Rng(3);
        Tensor img = unitRows(rng, 300, 24), txt = unitRows(rng, 300, 24);
        float[] one = withThreads(1, () -> lossAndGrads(img, txt));
        float[] two = withThreads(2, () -> lossAndGrads(img, txt));
        assertThat(two).containsExactly(one);
    }

    private static float[] lossAndGrads(Tensor img0, Tensor txt0) {
        Tensor img = img0.detach().requiresGrad(true), txt = txt0.detach().requiresGrad(true);
        Tensor t = Tensor.scalar(2f).requiresGrad(true), b = Tensor.scalar(-3f).requiresGrad(true);
        Tensor clip = ContrastiveLoss.clip(img, txt, t);
        clip.backward();
        Tensor sig = ContrastiveLoss.siglip(img, txt, t, b);
        sig.backward();
        float[] gi = img.grad().toArray(), gt = txt.grad().toArray();
        float[] all = new float[gi.length + gt.length + 4];
        System.arraycopy(gi, 0, all, 0, gi.length);
        System.arraycopy(gt, 0, all, gi.length, gt.length);
        all[all.length - 4] = clip.item();
        all[all.length - 3] = sig.item();
        all[all.length - 2] = t.grad().item();
        all[all.length - 1] = b.grad().item();
        return all;
    }
}
