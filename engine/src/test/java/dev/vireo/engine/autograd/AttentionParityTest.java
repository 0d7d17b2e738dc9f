package dev.vireo.engine.autograd;

import dev.vireo.engine.kernel.KernelProvider;
import dev.vireo.engine.kernel.attention.AttentionKernel;
import dev.vireo.engine.kernel.attention.ScalarAttentionKernel;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attention on every kernel (the tiled kernel on the scalar tiles and on every vector width, and the
 * untiled {@link ScalarAttentionKernel}) against a float64 computation written here: the output and
 * all three gradients, element by element, within a bound on float32 rounding error that holds for
 * any order of summation ({@link #reference}). Shapes run from one token to many tiles each way
 * (tiles of 64, of 32 for causal heads past 48 tokens, one tile up to 96), with Tq above and below Tk,
 * causal and not, with and without padding masks, including rows that see no key at all.
 * Causal means query i sees keys j ≤ i (top-left aligned) whatever Tq and Tk are.
 */
class AttentionParityTest {
    /** Unit roundoff of float32. */
    private static final double U = 0x1p-24;

    record Kernel(String name, AttentionKernel kernel) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Kernel> kernels() {
        List<Kernel> list = new ArrayList<>();
        for (KernelProvider kp : KernelProvider.all()) list.add(new Kernel(kp.name() + " tiled", kp.attention()));
        list.add(new Kernel("untiled reference", new ScalarAttentionKernel()));
        return list;
    }

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        // (B, H, Tq, Tk, D, Dv): one tile (up to 96), causal row tiles of 32 past 48, then many tiles of 64 (32 causal)
        int[][] sizes = {{1, 1, 1, 1, 1, 1}, {2, 3, 5, 7, 3, 4}, {1, 2, 17, 17, 16, 16}, {2, 2, 50, 50, 64, 64},
                {2, 1, 77, 77, 64, 64}, {1, 2, 90, 60, 16, 8}, {1, 1, 60, 90, 8, 16}, {1, 1, 96, 96, 24, 24}, {1, 1, 97, 97, 33, 31}, {1, 2, 130, 129, 8, 8},
                {1, 1, 65, 200, 17, 5}, {1, 1, 300, 300, 64, 64}, {2, 1, 257, 131, 33, 17}, {2, 1, 97, 389, 16, 40},
                {1, 1, 520, 70, 4, 4}, {1, 1, 129, 700, 8, 3}};
        for (int[] sz : sizes) {
            for (int variant = 0; variant < 4; variant++) list.add(Arguments.of(sz, (variant & 1) != 0, (variant & 2) != 0));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} causal={1} masked={2}")
    @MethodSource("cases")
    void everyKernelMatchesFloat64WithinFloat32RoundingError(int[] sz, boolean causal, boolean masked) {
        int b = sz[0], h = sz[1], tq = sz[2], tk = sz[3], d = sz[4], dv = sz[5];
        Rng rng = new Rng(31L * tq + tk);
        Tensor q = FusedTesting.randn(rng, b, h, tq, d), k = FusedTesting.randn(rng, b, h, tk, d);
        Tensor v = FusedTesting.randn(rng, b, h, tk, dv);
        float[] keep = masked ? paddingMask(rng, b, tk) : null;
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] seed = FusedTesting.randn(rng, b, h, tq, dv).toArray();
        Reference ref = reference(q.toArray(), k.toArray(), v.toArray(), keep, seed, b, h, tq, tk, d, dv, scale, causal);
        String[] names = {"out", "dq", "dk", "dv"};
        for (Kernel kernel : kernels()) {
            float[][] got = run(q, k, v, causal, keep == null ? null : Tensor.of(keep, b, tk), scale, kernel.kernel(), seed);
            for (int i = 0; i < 4; i++) assertWithinBound(kernel + " " + names[i], ref.values()[i], ref.bounds()[i], got[i]);
        }
    }

    /**
     * Query i sees keys 0..i also when Tq ≠ Tk: the first query attends to the first key alone (its
     * output is that key's value), and with Tq &lt; Tk the keys past the last query get no gradient.
     */
    @Test
    void causalIsTopLeftAlignedWhenTqDiffersFromTk() {
        Rng rng = new Rng(8);
        int tq = 100, tk = 230, d = 8;
        Tensor q = FusedTesting.randn(rng, 1, 1, tq, d), k = FusedTesting.randn(rng, 1, 1, tk, d), v = FusedTesting.randn(rng, 1, 1, tk, d);
        float[] seed = FusedTesting.randn(rng, 1, 1, tq, d).toArray();
        for (Kernel kernel : kernels()) {
            float[][] r = run(q, k, v, true, null, 0.3f, kernel.kernel(), seed);
            float[] v0 = new float[d];
            System.arraycopy(v.toArray(), 0, v0, 0, d);
            float[] o0 = new float[d];
            System.arraycopy(r[0], 0, o0, 0, d);
            assertThat(o0).as(kernel + ": the first query's output is the first value").containsExactly(v0);
            for (int i = tq * d; i < tk * d; i++) {
                assertThat(r[2][i]).as(kernel + ": dk of a key past the last query").isZero();
                assertThat(r[3][i]).as(kernel + ": dv of a key past the last query").isZero();
            }
        }
    }

    /**
     * Random holes (30%) and the last key hidden in every batch; odd batches also hide their first
     * 40% of keys, whole tiles of them, so causal rows there see no key at all.
     */
    private static float[] paddingMask(Rng rng, int b, int tk) {
        float[] keep = new float[b * tk];
        for (int bi = 0; bi < b; bi++) {
            for (int j = 0; j < tk; j++) {
                boolean hidden = rng.nextFloat() < 0.3f || j == tk - 1 || bi % 2 == 1 && j < (tk * 2 + 4) / 5;
                keep[bi * tk + j] = hidden ? 0f : 1f;
            }
        }
        return keep;
    }

    private static float[][] run(Tensor q0, Tensor k0, Tensor v0, boolean causal, Tensor mask, float scale,
                                 AttentionKernel kernel, float[] seed) {
        Tensor q = q0.detach().requiresGrad(true), k = k0.detach().requiresGrad(true), v = v0.detach().requiresGrad(true);
        Tensor out = Attention.scaledDotProduct(q, k, v, causal, mask, scale, kernel);
        out.backward(seed);
        return new float[][] {out.toArray(), q.grad().toArray(), k.grad().toArray(), v.grad().toArray()};
    }

    /** Out, dq, dk, dv in float64, and for each element a bound on the error of a float32 computation of it. */
    record Reference(double[][] values, double[][] bounds) {}

    /**
     * Attention and its gradients for upstream gradient {@code g}, in double, on (B, H, T, ·) row-major
     * inputs, with first-order bounds on the error of any float32 evaluation (U = 2⁻²⁴; a sum of n
     * terms computed in any order is off by at most n·U·Σ|terms|):
     * <ul>
     * <li>a score s = scale·q·k by (d + 2)·U·scale·Σ|q||k|, and s - max by U·|s - max| more; so each
     * exp(s - max) is off by at most a relative κ·U with κ = (d + 6)·A + 4, A the row's largest
     * scale·Σ|q||k| over the keys it sees (the exponential itself within 2 ulp);</li>
     * <li>the row's normalizer (a sum of tk positive terms, rescaled at most once per key by an online
     * softmax) and the log-sum-exp add at most (2·tk + 8)·U, so every probability and every
     * normalized weight is off by a relative π = (2κ + 4·tk + 16)·U at most;</li>
     * <li>O = P·V is then off by π·Σ_j P|V| (its own tk-term sum is inside π); dV = Pᵀ·dO by
     * (π + (tq + 2)·U)·Σ_i P|dO|; dP = dO·Vᵀ by (dv + 2)·U·Σ|dO||V|; Δ = rowsum(P∘dP) = dO·O by
     * (π + (2·dv + tk + 6)·U)·Σ_j P·Σ|dO||V|, either way it is computed; dS = scale·P∘(dP - Δ) by
     * scale·P·((π + 3U)·|dP - Δ| + err dP + err Δ); dQ = dS·K by Σ_j (err dS + (tk + 2)·U·|dS|)·|K|,
     * and dK = dSᵀ·Q alike with tq.</li>
     * </ul>
     * A row that sees no key has output and gradients exactly 0, so bound 0. On these inputs the bounds
     * are about 1e-4 of an element's magnitude and the kernels' largest error is 5% of its bound; a 1%
     * error, a missing or misplaced tile, one key wrongly seen or hidden, or a log-sum-exp off by 1e-3
     * lies outside them.
     */
    static Reference reference(float[] q, float[] k, float[] v, float[] keep, float[] g, int b, int h, int tq, int tk,
                               int d, int dv, float scale, boolean causal) {
        double[] out = new double[b * h * tq * dv], eOut = new double[out.length];
        double[] dq = new double[b * h * tq * d], eDq = new double[dq.length];
        double[] dk = new double[b * h * tk * d], eDk = new double[dk.length];
        double[] dvv = new double[b * h * tk * dv], eDv = new double[dvv.length];
        double sc = scale;
        for (int bh = 0; bh < b * h; bh++) {
            int bi = bh / h, qo = bh * tq * d, ko = bh * tk * d, vo = bh * tk * dv, oo = bh * tq * dv;
            double[][] p = new double[tq][tk];
            double[] pi = new double[tq];
            boolean[][] seen = new boolean[tq][tk];
            for (int i = 0; i < tq; i++) {
                double max = Double.NEGATIVE_INFINITY, a = 0;
                double[] s = new double[tk];
                for (int j = 0; j < tk; j++) {
                    seen[i][j] = (!causal || j <= i) && (keep == null || keep[bi * tk + j] != 0f);
                    if (!seen[i][j]) continue;
                    double dot = 0, abs = 0;
                    for (int c = 0; c < d; c++) {
                        double t = (double) q[qo + i * d + c] * k[ko + j * d + c];
                        dot += t;
                        abs += Math.abs(t);
                    }
                    s[j] = sc * dot;
                    max = Math.max(max, s[j]);
                    a = Math.max(a, sc * abs);
                }
                if (max == Double.NEGATIVE_INFINITY) continue; // sees no key: P = 0, all exact zeros
                double sum = 0;
                for (int j = 0; j < tk; j++) if (seen[i][j]) sum += Math.exp(s[j] - max);
                for (int j = 0; j < tk; j++) if (seen[i][j]) p[i][j] = Math.exp(s[j] - max) / sum;
                double kappa = (d + 6) * a + 4;
                pi[i] = (2 * kappa + 4.0 * tk + 16) * U;
            }
            // O = P·V, dV = Pᵀ·dO
            for (int i = 0; i < tq; i++) {
                for (int c = 0; c < dv; c++) {
                    double o = 0, abs = 0;
                    for (int j = 0; j < tk; j++) {
                        o += p[i][j] * v[vo + j * dv + c];
                        abs += p[i][j] * Math.abs(v[vo + j * dv + c]);
                    }
                    out[oo + i * dv + c] = o;
                    eOut[oo + i * dv + c] = pi[i] * abs;
                }
            }
            for (int j = 0; j < tk; j++) {
                for (int c = 0; c < dv; c++) {
                    double s = 0, err = 0;
                    for (int i = 0; i < tq; i++) {
                        s += p[i][j] * g[oo + i * dv + c];
                        err += p[i][j] * Math.abs(g[oo + i * dv + c]) * (pi[i] + (tq + 2) * U);
                    }
                    dvv[vo + j * dv + c] = s;
                    eDv[vo + j * dv + c] = err;
                }
            }
            // dS = scale·P∘(dP - Δ) with its bound
            double[][] ds = new double[tq][tk], eDs = new double[tq][tk];
            for (int i = 0; i < tq; i++) {
                double[] dp = new double[tk], dpAbs = new double[tk];
                double delta = 0, deltaAbs = 0;
                for (int j = 0; j < tk; j++) {
                    if (!seen[i][j]) continue;
                    for (int c = 0; c < dv; c++) {
                        double t = (double) g[oo + i * dv + c] * v[vo + j * dv + c];
                        dp[j] += t;
                        dpAbs[j] += Math.abs(t);
                    }
                    delta += p[i][j] * dp[j];
                    deltaAbs += p[i][j] * dpAbs[j];
                }
                double eDelta = (pi[i] + (2.0 * dv + tk + 6) * U) * deltaAbs;
                for (int j = 0; j < tk; j++) {
                    if (!seen[i][j]) continue;
                    ds[i][j] = sc * p[i][j] * (dp[j] - delta);
                    eDs[i][j] = sc * p[i][j] * ((pi[i] + 3 * U) * Math.abs(dp[j] - delta) + (dv + 2) * U * dpAbs[j] + eDelta);
                }
            }
            // dQ = dS·K, dK = dSᵀ·Q
            for (int i = 0; i < tq; i++) {
                for (int c = 0; c < d; c++) {
                    double s = 0, err = 0;
                    for (int j = 0; j < tk; j++) {
                        double kc = k[ko + j * d + c];
                        s += ds[i][j] * kc;
                        err += (eDs[i][j] + (tk + 2) * U * Math.abs(ds[i][j])) * Math.abs(kc);
                    }
                    dq[qo + i * d + c] = s;
                    eDq[qo + i * d + c] = err;
                }
            }
            for (int j = 0; j < tk; j++) {
                for (int c = 0; c < d; c++) {
                    double s = 0, err = 0;
                    for (int i = 0; i < tq; i++) {
                        double qc = q[qo + i * d + c];
                        s += ds[i][j] * qc;
                        err += (eDs[i][j] + (tq + 2) * U * Math.abs(ds[i][j])) * Math.abs(qc);
                    }
                    dk[ko + j * d + c] = s;
                    eDk[ko + j * d + c] = err;
                }
            }
        }
        return new Reference(new double[][] {out, dq, dk, dvv}, new double[][] {eOut, eDq, eDk, eDv});
    }

    /** Fails unless |actual - expected| ≤ bound at every element, naming the worst one. */
    static void assertWithinBound(String what, double[] expected, double[] bound, float[] actual) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        int bad = 0, worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= bound[i])) bad++;
            double ratio = err == 0 ? 0 : Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / bound[i];
            if (worst < 0 || ratio > worstRatio) {
                worst = i;
                worstRatio = ratio;
            }
        }
        if (bad > 0) {
            throw new AssertionError(what + ": " + bad + " of " + expected.length + " elements outside the float32 error bound;"
                    + " worst at index " + worst + ": expected " + expected[worst] + ", actual " + actual[worst] + ", |diff| "
                    + Math.abs(actual[worst] - expected[worst]) + " > bound " + bound[worst] + " (" + worstRatio + "x)");
        }
    }
}
