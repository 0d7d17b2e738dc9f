package dev.vireo.engine.autograd;

import dev.vireo.engine.parallel.ComputePool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same inputs, same bits, whatever the thread count: each op (and a small MLP's forward and
 * backward) runs with 1, 2 and 3 threads, and the raw float bits of outputs and gradients must match.
 * Sizes are chosen so every op cuts its work into several chunks.
 */
class DeterminismTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = ComputePool.global().threads();
    }

    @AfterEach
    void restoreThreads() {
        ComputePool.setGlobalThreads(savedThreads);
    }

    @Test
    void matmulForwardAndBackward() {
        assertSameBitsForAnyThreadCount(() -> {
            Rng rng = new Rng(1);
            Tensor a = Tensor.randn(rng, 0f, 1f, 200, 96).requiresGrad(true); // 7 row blocks of 32
            Tensor b = Tensor.randn(rng, 0f, 1f, 96, 80).requiresGrad(true);
            Tensor c = a.matmul(b); // (200, 80)
            c.backward(Tensor.randn(rng, 0f, 1f, 200, 80).toArray());
            return List.of(c.toArray(), a.grad().toArray(), b.grad().toArray());
        });
    }

    @Test
    void softmaxAndLayerNorm() {
        assertSameBitsForAnyThreadCount(() -> {
            Rng rng = new Rng(2);
            Tensor x = Tensor.randn(rng, 0f, 2f, 1000, 100).requiresGrad(true); // 4 chunks of rows
            Tensor gamma = Tensor.randn(rng, 1f, 0.1f, 100).requiresGrad(true);
            Tensor beta = Tensor.randn(rng, 0f, 0.1f, 100).requiresGrad(true);
            Tensor s = x.softmax(-1); // (1000, 100)
            Tensor ls = x.logSoftmax(0); // (1000, 100)
            Tensor ln = x.layerNorm(gamma, beta, 1e-5f); // (1000, 100)
            Tensor loss = s.mul(ls).add(ln.mul(ln)).sum();
            loss.backward();
            return List.of(s.toArray(), ls.toArray(), ln.toArray(), new float[] {loss.item()},
                    x.grad().toArray(), gamma.grad().toArray(), beta.grad().toArray());
        });
    }

    @Test
    void reductions() {
        assertSameBitsForAnyThreadCount(() -> {
            Rng rng = new Rng(3);
            Tensor x = Tensor.randn(rng, 0f, 1f, 300, 400).requiresGrad(true);
            Tensor all = x.sum(); // several chunks of 32k elements
            Tensor cols = x.var(new int[] {0}, 1, false); // 7 inner blocks
            Tensor rows = x.logsumexp(1);
            Tensor loss = all.add(cols.sum()).add(rows.max());
            loss.backward();
            return List.of(new float[] {all.item(), loss.item()}, cols.toArray(), rows.toArray(), x.grad().toArray());
        });
    }

    @Test
    void mlpForwardAndBackward() {
        assertSameBitsForAnyThreadCount(() -> {
            Rng rng = new Rng(4);
            int batch = 512, in = 64, hidden = 128, classes = 10;
            Tensor x = Tensor.randn(rng, 0f, 1f, batch, in);
            Tensor w1 = Tensor.randn(rng, 0f, 0.1f, in, hidden).requiresGrad(true);
            Tensor b1 = Tensor.zeros(hidden).requiresGrad(true);
            Tensor gamma = Tensor.ones(hidden).requiresGrad(true);
            Tensor beta = Tensor.zeros(hidden).requiresGrad(true);
            Tensor w2 = Tensor.randn(rng, 0f, 0.1f, hidden, classes).requiresGrad(true);
            Tensor b2 = Tensor.zeros(classes).requiresGrad(true);
            int[] targets = new int[batch];
            for (int i = 0; i < batch; i++) targets[i] = rng.nextInt(classes);

            Tensor h = x.matmul(w1).add(b1).gelu(); // (B, hidden)
            Tensor n = h.layerNorm(gamma, beta, 1e-5f); // (B, hidden)
            Tensor logits = n.matmul(w2).add(b2); // (B, classes)
            Tensor loss = Losses.crossEntropy(logits, targets, -100, 0.1f); // ()
            loss.backward();

            List<float[]> out = new ArrayList<>(List.of(new float[] {loss.item()}, logits.toArray()));
            for (Tensor p : new Tensor[] {w1, b1, gamma, beta, w2, b2}) out.add(p.grad().toArray());
            return out;
        });
    }

    /** Runs {@code run} with 1, 2 and 3 threads and compares every float of every array bit for bit. */
    private static void assertSameBitsForAnyThreadCount(Supplier<List<float[]>> run) {
        ComputePool.setGlobalThreads(1);
        List<float[]> reference = run.get();
        for (int threads : new int[] {2, 3}) {
            ComputePool.setGlobalThreads(threads);
            List<float[]> result = run.get();
            assertThat(result).hasSameSizeAs(reference);
            for (int i = 0; i < reference.size(); i++) {
                float[] ref = reference.get(i), got = result.get(i);
                assertThat(got.length).as("array %d length", i).isEqualTo(ref.length);
                for (int j = 0; j < ref.length; j++) {
                    if (Float.floatToRawIntBits(got[j]) != Float.floatToRawIntBits(ref[j])) {
                        throw new AssertionError("array " + i + " element " + j + " differs with " + threads
                                + " threads: " + got[j] + " vs " + ref[j] + " with 1 thread");
                    }
                }
            }
        }
    }
}
