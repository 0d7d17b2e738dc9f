package dev.vireo.engine.optim;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training N steps, checkpointing, loading into fresh objects and training M more gives exactly
 * (bit for bit) the weights, optimiser state and EMA of N + M uninterrupted steps. Each step draws
 * its mini-batch and input noise from the run's Rng, so its state must be restored too.
 */
class ResumeTest {
    private static final int N = 7;
    private static final int M = 6;
    private static final int DATA = 32;
    private static final int BATCH = 8;

    @TempDir
    Path dir;

    /** A training run: parameters, optimiser, schedule, EMA and the data generator. */
    private static final class Run {
        final Map<String, Tensor> params = new LinkedHashMap<>();
        final Optimizer opt;
        final LrSchedule schedule = LrSchedule.warmupCosine(3, N + M, 0.05);
        final Ema ema;
        final Rng rng;
        final Tensor x;
        final Tensor y;
        long step;

        Run(long initSeed, Function<List<ParamGroup>, Optimizer> optimizer) {
            Rng init = new Rng(initSeed);
            params.put("fc1.weight", Tensor.randn(init, 0, 0.5f, 4, 6).requiresGrad(true));
            params.put("fc1.bias", Tensor.zeros(6).requiresGrad(true));
            params.put("fc2.weight", Tensor.randn(init, 0, 0.5f, 6, 2).requiresGrad(true));
            params.put("fc2.bias", Tensor.zeros(2).requiresGrad(true));
            opt = optimizer.apply(ParamGroups.withWeightDecay(params, 0.03, 0.05));
            ema = new Ema(params, 0.9, true);
            Rng data = new Rng(5);
            x = Tensor.randn(data, 0, 1, DATA, 4);                                            // [DATA, 4]
            y = Tensor.randn(data, 0, 1, DATA, 2);                                            // [DATA, 2]
            rng = new Rng(11);
        }

        void train(int steps) {
            for (int s = 0; s < steps; s++, step++) {
                int[] order = new int[DATA];
                for (int i = 0; i < DATA; i++) order[i] = i;
                rng.shuffle(order);
                int[] batch = Arrays.copyOf(order, BATCH);
                Tensor xb = x.indexSelect(0, batch).add(Tensor.randn(rng, 0, 0.01f, BATCH, 4)); // [BATCH, 4]
                Tensor yb = y.indexSelect(0, batch);                                              // [BATCH, 2]
                opt.zeroGrad();
                Tensor h = xb.matmul(params.get("fc1.weight")).add(params.get("fc1.bias")).tanh(); // [BATCH, 6]
                Tensor d = h.matmul(params.get("fc2.weight")).add(params.get("fc2.bias")).sub(yb); // [BATCH, 2]
                d.mul(d).reshape(1, 2 * BATCH).matmul(Tensor.ones(2 * BATCH, 1)).mul(1f / (2 * BATCH)).backward();
                GradClip.clipGradNorm(params.values(), 0.5);
                schedule.apply(opt, step);
                opt.step();
                ema.update();
            }
        }

        Checkpoint checkpoint() {
            return Checkpoint.capture(step, rng, "{\"run\":\"resume-test\"}", params, opt.state(), ema.state());
        }

        void restore(Checkpoint c) {
            c.restoreModel(params);
            opt.loadState(c.optimizer());
            ema.loadState(c.ema());
            rng.setState(c.rngState());
            step = c.step();
        }
    }

    private void resumesExactly(Function<List<ParamGroup>, Optimizer> optimizer) throws Exception {
        Run straight = new Run(1, optimizer);
        straight.train(N + M);

        Run first = new Run(1, optimizer);
        first.train(N);
        Path file = dir.resolve("ckpt.safetensors");
        first.checkpoint().save(file);

        Run resumed = new Run(2, optimizer); // different initial weights: all must come from the checkpoint
        resumed.restore(Checkpoint.load(file));
        resumed.train(M);

        for (String name : straight.params.keySet()) {
            assertThat(bits(resumed.params.get(name).toArray())).as(name).isEqualTo(bits(straight.params.get(name).toArray()));
            assertThat(bits(resumed.ema.averaged(name).toArray())).as("ema " + name).isEqualTo(bits(straight.ema.averaged(name).toArray()));
        }
        OptimizerState a = resumed.opt.state();
        OptimizerState b = straight.opt.state();
        assertThat(a.scalars()).isEqualTo(b.scalars());
        assertThat(a.tensors().keySet()).isEqualTo(b.tensors().keySet());
        for (String key : b.tensors().keySet()) {
            assertThat(bits(a.tensors().get(key).toArray())).as(key).isEqualTo(bits(b.tensors().get(key).toArray()));
        }
        assertThat(resumed.rng.state()).isEqualTo(straight.rng.state());
    }

    static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
        return out;
    }

    @Test
    void adamwResumesBitForBit() throws Exception {
        resumesExactly(groups -> new AdamW(groups, 0.9, 0.99, 1e-8));
    }

    @Test
    void sgdResumesBitForBit() throws Exception {
        resumesExactly(groups -> new Sgd(groups, 0.9, 0, true));
    }
}
