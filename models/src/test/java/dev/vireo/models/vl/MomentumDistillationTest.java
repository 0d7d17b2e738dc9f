package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Momentum distillation reduces to the plain objectives at α = 0 with empty queues, moves the
 * losses once α and the queues are in play, and its queues keep the newest embeddings.
 */
class MomentumDistillationTest {
    static VlPretraining.Batch batch(int n, int t) {
        Rng rng = new Rng(21);
        Tensor images = Tensor.randn(rng, 0f, 1f, n, 3, 8, 8); // (B, 3, S, S)
        int[] ids = new int[n * t];
        for (int i = 0; i < n; i++) {
            ids[i * t] = 2;
            for (int j = 1; j < t - 1; j++) ids[i * t + j] = 5 + (i * 7 + j * 3) % 15;
            ids[i * t + t - 1] = 3;
        }
        boolean[] matches = new boolean[n * n];
        for (int i = 0; i < n; i++) matches[i * n + i] = true;
        return new VlPretraining.Batch(images, ids, null, n, t, matches, new int[n * 4], null);
    }

    static Map<String, Double> losses(VlModel model, MomentumDistillation momentum, double alpha) {
        VlPretraining p = new VlPretraining(VlPretraining.Objective.parse("itc,itm,mlm"), new MlmMasking(4, 5, 20, new int[] {0, 2, 3}, 0.3));
        return p.forward(model, batch(4, 6), new Rng(9), momentum, alpha).parts();
    }

    @Test
    void alphaZeroWithEmptyQueuesIsThePlainLoss() {
        VlModel model = new VlModel(VlModelTest.micro("mid"), 3);
        Map<String, Double> plain = losses(model, null, 0);
        Map<String, Double> distilled = losses(model, new MomentumDistillation(model, 0.995, 0, 0.4, 10), 0);
        for (String k : plain.keySet()) assertThat(distilled.get(k)).as(k).isCloseTo(plain.get(k), offset(1e-5));
    }

    @Test
    void softTargetsAndQueuesChangeTheLossesAndTheQueueKeepsTheNewest() {
        VlModel model = new VlModel(VlModelTest.micro("late"), 4);
        MomentumDistillation momentum = new MomentumDistillation(model, 0.995, 6, 0.4, 10);
        Map<String, Double> plain = losses(model, null, 0);
        Map<String, Double> first = losses(model, momentum, 0.4); // queue empty before, 4 after
        Map<String, Double> second = losses(model, momentum, 0.4); // reads 4 queued, then holds the newest 6
        assertThat(first.get("itc")).isNotCloseTo(plain.get("itc"), offset(1e-6));
        assertThat(second.get("itc")).isNotCloseTo(first.get("itc"), offset(1e-6)); // the queue widened the negatives
        assertThat(momentum.state().scalar("queue_filled")).isEqualTo("6");
        assertThat(momentum.state().scalar("queue_next")).isEqualTo("2");
        assertThat(momentum.alpha(0)).isCloseTo(0.04, offset(1e-12));
        assertThat(momentum.alpha(50)).isEqualTo(0.4);
    }
}
