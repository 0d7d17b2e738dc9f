package dev.vireo.engine.backend;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuBackendTest {
    private final Rng rng = new Rng(3);

    @Test
    void runsAChainOfOpsWithExplicitTransfers() {
        Tensor x = Tensor.randn(rng, 0, 1, 4, 6);    // (M, K)
        Tensor w = Tensor.randn(rng, 0, 1, 5, 6);    // (N, K)
        Tensor b = Tensor.randn(rng, 0, 1, 5);       // (N)
        Tensor g = Tensor.randn(rng, 1, 0.1f, 5);
        Tensor beta = Tensor.randn(rng, 0, 0.1f, 5);
        try (Backend cpu = Backends.open("cpu")) {
            DeviceTensor dx = cpu.upload(x), dw = cpu.upload(w), db = cpu.upload(b);
            DeviceTensor h = cpu.run(BackendOp.ADD_ROW_BIAS, cpu.run(BackendOp.MATMUL_NT, dx, dw), db);
            DeviceTensor act = cpu.run(BackendOp.QUICK_GELU, h);
            DeviceTensor norm = cpu.run(BackendOp.LAYER_NORM, act, cpu.upload(g), cpu.upload(beta));
            DeviceTensor probs = cpu.run(BackendOp.SOFTMAX, norm);
            Tensor result = cpu.download(probs);

            Tensor expected = x.matmul(w.transpose(0, 1)).add(b).quickGelu();
            float[] e = expected.toArray();
            float[] ln = new float[e.length];
            for (int r = 0; r < 4; r++) {
                double mean = 0, var = 0;
                for (int j = 0; j < 5; j++) mean += e[r * 5 + j];
                mean /= 5;
                for (int j = 0; j < 5; j++) var += Math.pow(e[r * 5 + j] - mean, 2);
                var /= 5;
                double sum = 0;
                for (int j = 0; j < 5; j++) {
                    ln[r * 5 + j] = (float) Math.exp((e[r * 5 + j] - mean) / Math.sqrt(var + 1e-5) * g.get(j) + beta.get(j));
                    sum += ln[r * 5 + j];
                }
                for (int j = 0; j < 5; j++) ln[r * 5 + j] /= (float) sum;
            }
            assertThat(result.shape()).containsExactly(4, 5);
            float[] got = result.toArray();
            assertAllClose("linear, gelu, layer norm, softmax", ln, got, 1e-5f, 0);
        }
    }

    @Test
    void rejectsBadArguments() {
        try (Backend cpu = new CpuBackend()) {
            DeviceTensor a = cpu.upload(Tensor.zeros(2, 3)), b = cpu.upload(Tensor.zeros(4, 3));
            assertThatThrownBy(() -> cpu.run(BackendOp.MATMUL, a, b)).hasMessageContaining("inner dimensions 3 and 4 differ");
            assertThatThrownBy(() -> cpu.run(BackendOp.ADD, a)).hasMessageContaining("expects 2 inputs");
            assertThatThrownBy(() -> Backends.open("warp-drive")).hasMessageContaining("unknown backend 'warp-drive'");
            a.close();
            assertThatThrownBy(() -> cpu.download(a)).hasMessageContaining("closed");
        }
    }
}
