package dev.vireo.engine.tornadovm;

import dev.vireo.engine.autograd.CpuProvider;
import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.row.BinaryOp;
import dev.vireo.engine.kernel.row.UnaryOp;
import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.nn.TransformerBlock;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.EncoderLayer;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every op of the seam on the TornadoVM device against the CPU provider, over awkward sizes (1, odd,
 * primes, past a power of two), with registered and unregistered weights, masks, and NaN/Inf. Runs
 * where a TornadoVM runtime is present (the profile's argfile); skipped with its reason otherwise.
 */
class TornadoProviderTest {
    /** The device sums in another order: a sum's rounding is relative to the largest values around it. */
    private static final double ATOL = 1e-5, RTOL = 1e-4;
    private static final TornadoProvider DEVICE = new TornadoProvider();
    private static final CpuProvider CPU = new CpuProvider(KernelProvider.get());
    /** The GPU's choice of GEMM (work-groups staging tiles in local memory), whatever the device here. */
    private static final DeviceOps TILED = new DeviceOps(true);
    /** The loop-parallel GEMM, a CPU device's choice. */
    private static final DeviceOps LOOP = new DeviceOps(false);

    @BeforeEach
    void runtimePresent() {
        assumeTrue(DEVICE.isAvailable(), () -> "no TornadoVM runtime: " + DEVICE.unavailableReason());
    }

    @AfterAll
    static void free() {
        if (DEVICE.isAvailable()) {
            DEVICE.clear();
            TILED.clear();
            LOOP.clear();
        }
    }

    @Test
    void linearMatchesTheCpuWithEveryEpilogue() {
        int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {50, 768, 33}, {7, 64, 129}};
        for (int[] s : shapes) {
            int rows = s[0], in = s[1], out = s[2];
            Tensor x = random(rows * in, 1, rows, in); // (rows, in)
            Tensor w = random(out * in, 2, out, in);   // (out, in)
            Tensor b = random(out, 3, out);            // (out)
            Tensor r = random(rows * out, 4, rows, out); // (rows, out)
            for (UnaryOp act : new UnaryOp[] {null, UnaryOp.GELU, UnaryOp.QUICK_GELU, UnaryOp.RELU, UnaryOp.GELU_TANH}) {
                check("linear " + rows + "x" + in + "x" + out + " " + act, CPU.linear(x, w, b, act, r), DEVICE.linear(x, w, b, act, r));
                check("linear, no bias or residual", CPU.linear(x, w, null, act, null), DEVICE.linear(x, w, null, act, null));
                check("linear, tiled GEMM", CPU.linear(x, w, b, act, r), TILED.linear(x, w, b, act, r));
            }
            DEVICE.register(List.of(w, b));
            check("linear, resident weights", CPU.linear(x, w, b, null, r), DEVICE.linear(x, w, b, null, r));
            long up = DEVICE.stats().bytesUp();
            check("linear, resident weights again", CPU.linear(x, w, b, null, r), DEVICE.linear(x, w, b, null, r));
            long perCall = DEVICE.stats().bytesUp() - up;
            assertThat(perCall).as("a resident weight is not copied again").isEqualTo(4L * (rows * in + rows * out));
            DEVICE.release(List.of(w, b));
        }
    }

    @Test
    void matmulUnaryBinaryMatchTheCpu() {
        Tensor a = random(2 * 3 * 5 * 7, 5, 2, 3, 5, 7), b = random(2 * 3 * 7 * 9, 6, 2, 3, 7, 9); // (2, 3, 5, 7), (2, 3, 7, 9)
        check("matmul", CPU.matmul(a, b), DEVICE.matmul(a, b));
        Tensor x = random(1031, 7, 1031); // (1031)
        for (UnaryOp op : UnaryOp.values()) check("unary " + op, CPU.unary(op, x), DEVICE.unary(op, x));
        Tensor m = random(6 * 13, 8, 6, 13), row = random(13, 9, 13), same = random(6 * 13, 10, 6, 13); // (6, 13), (13), (6, 13)
        for (BinaryOp op : BinaryOp.values()) {
            check("binary same " + op, CPU.binary(op, m, same), DEVICE.binary(op, m, same));
            check("binary row " + op, CPU.binary(op, m, row), DEVICE.binary(op, m, row));
        }
    }

    @Test
    void rowOpsMatchTheCpuAndCarryNanAndInf() {
        for (int n : new int[] {1, 7, 64, 77, 769}) {
            float[] v = random(5 * n, n, 5, n).toArray(); // (5, n)
            v[0] = Float.NaN;
            if (n > 2) v[n + 1] = Float.POSITIVE_INFINITY;
            Tensor x = Tensor.of(v, 5, n);
            Tensor g = random(n, 11, n), beta = random(n, 12, n); // (n), (n)
            check("softmax " + n, CPU.softmax(x), DEVICE.softmax(x));
            check("logSoftmax " + n, CPU.logSoftmax(x), DEVICE.logSoftmax(x));
            check("layerNorm, γ and β copied per call " + n, CPU.layerNorm(x, g, beta, 1e-5f), DEVICE.layerNorm(x, g, beta, 1e-5f));
            DEVICE.register(List.of(g, beta));
            check("layerNorm " + n, CPU.layerNorm(x, g, beta, 1e-5f), DEVICE.layerNorm(x, g, beta, 1e-5f));
            check("layerNorm without affine " + n, CPU.layerNorm(x, null, null, 1e-5f), DEVICE.layerNorm(x, null, null, 1e-5f));
            DEVICE.release(List.of(g, beta));
        }
    }

    @Test
    void attentionMatchesTheCpuWithMasksAndCausality() {
        int[][] shapes = {{1, 1, 1, 1, 1}, {2, 50, 50, 12, 64}, {3, 7, 77, 2, 5}, {2, 77, 77, 8, 64}};
        for (int[] s : shapes) {
            int batch = s[0], tq = s[1], tk = s[2], heads = s[3], d = s[4];
            Tensor q = random(batch * tq * heads * d, 13, batch, tq, heads * d); // (B, Tq, H·D)
            Tensor k = random(batch * tk * heads * d, 14, batch, tk, heads * d); // (B, Tk, H·D)
            Tensor v = random(batch * tk * heads * d, 15, batch, tk, heads * d); // (B, Tk, H·D)
            float[] keep = new float[batch * tk]; // (B, Tk): the last third of each row padded
            for (int i = 0; i < keep.length; i++) keep[i] = i % tk < Math.max(1, 2 * tk / 3) ? 1f : 0f;
            Tensor mask = Tensor.of(keep, batch, tk);
            float scale = (float) (1 / Math.sqrt(d));
            for (boolean causal : new boolean[] {false, true}) {
                check("attention " + java.util.Arrays.toString(s) + " causal " + causal,
                        CPU.attention(q, k, v, heads, causal, null, scale), DEVICE.attention(q, k, v, heads, causal, null, scale));
                check("attention masked " + java.util.Arrays.toString(s), CPU.attention(q, k, v, heads, causal, mask, scale),
                        DEVICE.attention(q, k, v, heads, causal, mask, scale));
            }
        }
    }

    @Test
    void anEncoderStackAsOnePlanMatchesTheCpuBlockByBlock() {
        Rng rng = new Rng(5);
        List<TransformerBlock> blocks = List.of(new TransformerBlock(rng, 48, 4, 96, Activation.GELU),
                new TransformerBlock(rng, 48, 4, 96, Activation.QUICK_GELU), new TransformerBlock(rng, 48, 4, 96, Activation.GELU));
        List<EncoderLayer> layers = blocks.stream().map(TransformerBlock::layer).toList();
        List<Tensor> weights = blocks.stream().flatMap(b -> b.namedParameters().values().stream()).map(Parameter::value).toList();
        Tensor x = random(3 * 13 * 48, 18, 3, 13, 48); // (B, T, C): 13 tokens, neither a tile nor a power of two
        for (boolean causal : new boolean[] {false, true}) {
            Tensor expected = ComputeProvider.using(CPU, () -> {
                Tensor h = x;
                for (TransformerBlock b : blocks) h = b.forward(h, causal, null);
                return h;
            }); // (B, T, C)
            for (DeviceOps device : new DeviceOps[] {LOOP, TILED}) {
                assertThat(device.encoder(layers, x, causal, null)).as("unregistered weights: op by op").isNull();
                device.register(weights);
                check("encoder causal " + causal, expected, device.encoder(layers, x, causal, null));
                int[] positions = {0, 12, 5}; // (B): a row of each sequence, as a tower pools its class or end token
                Tensor pooledRows = expected.reshape(3 * 13, 48).indexSelect(0, new int[] {0, 13 + 12, 26 + 5}); // (B, C)
                check("encoder pooled, causal " + causal, pooledRows, device.encoder(layers, x, causal, positions));
                assertThat(device.stats().cpuFallbacks()).isEmpty();
                device.release(weights);
            }
        }
    }

    @Test
    void aBroadcastTheDeviceLacksRunsOnTheCpuCounted() {
        Tensor a = random(4 * 3, 16, 4, 3), col = random(4, 17, 4, 1); // (4, 3), (4, 1)
        check("binary column broadcast", CPU.binary(BinaryOp.ADD, a, col), DEVICE.binary(BinaryOp.ADD, a, col));
        assertThat(DEVICE.stats().cpuFallbacks()).containsKey("binary: broadcast of (4, 3) with (4, 1)");
        Tensor v = random(3, 19, 3), one = random(1, 20, 1, 1, 1); // (3), (1, 1, 1): the result is (1, 1, 3)
        check("binary scalar of more axes", CPU.binary(BinaryOp.MUL, v, one), DEVICE.binary(BinaryOp.MUL, v, one));
    }

    private static void check(String what, Tensor expected, Tensor actual) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        float[] e = expected.toArray();
        double largest = 1;
        for (float v : e) if (Float.isFinite(v)) largest = Math.max(largest, Math.abs(v));
        assertAllClose(what, e, actual.toArray(), ATOL * largest, RTOL);
    }

    private static Tensor random(int n, long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return Tensor.of(v, shape);
    }
}
