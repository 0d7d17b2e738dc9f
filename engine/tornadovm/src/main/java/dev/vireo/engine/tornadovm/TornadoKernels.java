package dev.vireo.engine.tornadovm;

import dev.vireo.engine.kernel.row.UnaryOp;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device kernels of the TornadoVM backend, in TornadoVM's loop-parallel style: plain Java over
 * {@link FloatArray}s whose {@code @Parallel} loops TornadoVM turns into the launch grid. Being plain
 * Java they also run on the host, which is how {@code TornadoKernelsTest} checks them against the CPU
 * provider without a TornadoVM runtime. Row-major everywhere; a weight is (out, in) as PyTorch stores it.
 * Kernel rules: no allocation, no exceptions, no recursion; {@link TornadoMath} for math.
 */
public final class TornadoKernels {
    /** Activation codes of {@link #linear}: none and the {@code UnaryOp}s a linear layer fuses. */
    public static final int NONE = 0, GELU = 1, QUICK_GELU = 2, RELU = 3, GELU_TANH = 4, TANH = 5, SIGMOID = 6, EXP = 7;

    private TornadoKernels() {}

    /**
     * y (rows, out) = act(x (rows, in) · wᵀ + b) + residual: w (out, in); b (out) read when
     * {@code hasBias} is 1; residual (rows, out) added after the activation when {@code hasResidual} is 1.
     * One work-item per output element, summing over {@code in} in order.
     */
    public static void linear(FloatArray x, FloatArray w, FloatArray b, FloatArray residual, FloatArray y,
                              int rows, int in, int out, int hasBias, int hasResidual, int activation) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int o = 0; o < out; o++) {
                float sum = 0f;
                int xRow = r * in, wRow = o * in;
                for (int k = 0; k < in; k++) sum += x.get(xRow + k) * w.get(wRow + k);
                if (hasBias == 1) sum += b.get(o);
                float v = apply(activation, sum);
                if (hasResidual == 1) v += residual.get(r * out + o);
                y.set(r * out + o, v);
            }
        }
    }

    /** The tile side of {@link #linearTiled}: work-groups of TILE × TILE work-items. */
    public static final int TILE = 16;

    /**
     * {@link #linear}'s result as a tiled GEMM with the weight in its transposed (out, in) form: each
     * work-group computes a TILE × TILE block of y, staging a TILE-wide slice of x's rows and of w's rows
     * in local memory per step, so each value read from global memory serves TILE products. Launch
     * over (rows, out) rounded up to TILE with local size (TILE, TILE); work-items past the edges load
     * zeros and write nothing.
     */
    public static void linearTiled(KernelContext context, FloatArray x, FloatArray w, FloatArray b, FloatArray residual, FloatArray y,
                                   int rows, int in, int out, int hasBias, int hasResidual, int activation) {
        int lr = context.localIdx, lc = context.localIdy;
        int r = context.groupIdx * TILE + lr, o = context.groupIdy * TILE + lc;
        int wRow = context.groupIdy * TILE + lr; // the weight row this work-item stages
        float[] xs = context.allocateFloatLocalArray(TILE * TILE);
        float[] ws = context.allocateFloatLocalArray(TILE * TILE);
        float sum = 0f;
        for (int t = 0; t < in; t += TILE) {
            int k = t + lc;
            xs[lr * TILE + lc] = r < rows && k < in ? x.get(r * in + k) : 0f;
            ws[lr * TILE + lc] = wRow < out && k < in ? w.get(wRow * in + k) : 0f;
            context.localBarrier();
            for (int kk = 0; kk < TILE; kk++) sum += xs[lr * TILE + kk] * ws[lc * TILE + kk];
            context.localBarrier();
        }
        if (r < rows && o < out) {
            if (hasBias == 1) sum += b.get(o);
            float v = apply(activation, sum);
            if (hasResidual == 1) v += residual.get(r * out + o);
            y.set(r * out + o, v);
        }
    }

    /** out (B, C) = the row {@code positions[b]} of each sequence b of h (B, T, C). */
    public static void gatherRows(FloatArray h, IntArray positions, FloatArray out, int batch, int tokens, int c) {
        for (@Parallel int b = 0; b < batch; b++) {
            for (@Parallel int j = 0; j < c; j++) out.set(b * c + j, h.get((b * tokens + positions.get(b)) * c + j));
        }
    }

    /** c (batch, M, N) = a (batch, M, K) · b (batch, K, N). */
    public static void matmul(FloatArray a, FloatArray b, FloatArray c, int batch, int m, int n, int k) {
        for (@Parallel int bm = 0; bm < batch * m; bm++) {
            for (@Parallel int j = 0; j < n; j++) {
                int bi = bm / m;
                int aRow = bm * k, bBase = bi * k * n;
                float sum = 0f;
                for (int p = 0; p < k; p++) sum += a.get(aRow + p) * b.get(bBase + p * n + j);
                c.set(bm * n + j, sum);
            }
        }
    }

    /** y = f(x) elementwise over n values; f one of the activation codes. */
    public static void unary(FloatArray x, FloatArray y, int n, int op) {
        for (@Parallel int i = 0; i < n; i++) y.set(i, apply(op, x.get(i)));
    }

    /**
     * y (n) = a (n) op b, where b repeats every {@code period} values (period = n: same shape; period =
     * the last axis: a row vector broadcast over the rows; period = 1: a scalar). op: 0 add, 1 sub, 2 mul, 3 div.
     */
    public static void binary(FloatArray a, FloatArray b, FloatArray y, int n, int period, int op) {
        for (@Parallel int i = 0; i < n; i++) {
            float u = a.get(i), v = b.get(i % period);
            float r;
            if (op == 0) r = u + v;
            else if (op == 1) r = u - v;
            else if (op == 2) r = u * v;
            else r = u / v;
            y.set(i, r);
        }
    }

    /** Softmax over each row of x (rows, n): max subtracted, then exp and a sum in float as the CPU does. */
    public static void softmax(FloatArray x, FloatArray y, int rows, int n, int logarithm) {
        for (@Parallel int r = 0; r < rows; r++) {
            int base = r * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = TornadoMath.max(max, x.get(base + j));
            float sum = 0f;
            for (int j = 0; j < n; j++) sum += TornadoMath.exp(x.get(base + j) - max);
            if (logarithm == 1) {
                float logSum = TornadoMath.log(sum);
                for (int j = 0; j < n; j++) y.set(base + j, x.get(base + j) - max - logSum);
            } else {
                float inv = 1f / sum;
                for (int j = 0; j < n; j++) y.set(base + j, TornadoMath.exp(x.get(base + j) - max) * inv);
            }
        }
    }

    /** Layer norm over each row of x (rows, n): (x − mean)/√(var + eps)·γ + β, the variance biased (PyTorch's). */
    public static void layerNorm(FloatArray x, FloatArray gamma, FloatArray beta, FloatArray y, int rows, int n, float eps) {
        for (@Parallel int r = 0; r < rows; r++) {
            int base = r * n;
            float mean = 0f;
            for (int j = 0; j < n; j++) mean += x.get(base + j);
            mean = mean / n;
            float var = 0f;
            for (int j = 0; j < n; j++) {
                float d = x.get(base + j) - mean;
                var += d * d;
            }
            float inv = 1f / TornadoMath.sqrt(var / n + eps);
            for (int j = 0; j < n; j++) y.set(base + j, (x.get(base + j) - mean) * inv * gamma.get(j) + beta.get(j));
        }
    }

    /**
     * Multi-head scaled dot-product attention on the projections' layout, one work-item per (batch,
     * head, query) with an online softmax over the keys: q (B, Tq, H·D), k (B, Tk, H·D), v (B, Tk, H·Dv)
     * → o (B, Tq, H·Dv). {@code causal} 1 hides keys after the query; {@code hasMask} 1 reads mask
     * (B, Tk), 1 = keep. A query that sees no key gets zeros (as the CPU kernel gives).
     */
    public static void attention(FloatArray q, FloatArray k, FloatArray v, FloatArray mask, FloatArray o,
                                 int batch, int tq, int tk, int heads, int d, int dv, int causal, int hasMask, float scale) {
        for (@Parallel int bh = 0; bh < batch * heads; bh++) {
            for (@Parallel int i = 0; i < tq; i++) {
                int bi = bh / heads, h = bh % heads;
                int qBase = (bi * tq + i) * heads * d + h * d;
                int oBase = (bi * tq + i) * heads * dv + h * dv;
                for (int c = 0; c < dv; c++) o.set(oBase + c, 0f);
                float max = Float.NEGATIVE_INFINITY, sum = 0f;
                int last = causal == 1 ? TornadoMath.min(tk, i + 1) : tk; // top-left aligned: query i sees keys j <= i
                for (int j = 0; j < last; j++) {
                    boolean keep = hasMask == 0 || mask.get(bi * tk + j) != 0f;
                    if (keep) {
                        int kBase = (bi * tk + j) * heads * d + h * d;
                        float s = 0f;
                        for (int c = 0; c < d; c++) s += q.get(qBase + c) * k.get(kBase + c);
                        s = s * scale;
                        float newMax = TornadoMath.max(max, s);
                        float correction = TornadoMath.exp(max - newMax), p = TornadoMath.exp(s - newMax);
                        sum = sum * correction + p;
                        int vBase = (bi * tk + j) * heads * dv + h * dv;
                        for (int c = 0; c < dv; c++) o.set(oBase + c, o.get(oBase + c) * correction + p * v.get(vBase + c));
                        max = newMax;
                    }
                }
                if (sum > 0f) {
                    float inv = 1f / sum;
                    for (int c = 0; c < dv; c++) o.set(oBase + c, o.get(oBase + c) * inv);
                }
            }
        }
    }

    /** The kernel code of a unary op (host side; every op has one). */
    public static int code(UnaryOp op) {
        return switch (op) {
            case GELU -> GELU;
            case QUICK_GELU -> QUICK_GELU;
            case RELU -> RELU;
            case GELU_TANH -> GELU_TANH;
            case TANH -> TANH;
            case SIGMOID -> SIGMOID;
            case EXP -> EXP;
        };
    }

    /** The activation {@code code} at x. */
    public static float apply(int code, float x) {
        float r = x;
        if (code == GELU) r = 0.5f * x * (1f + erf(x * 0.70710678f));
        else if (code == QUICK_GELU) r = x / (1f + TornadoMath.exp(-1.702f * x));
        else if (code == RELU) r = TornadoMath.max(x, 0f);
        else if (code == GELU_TANH) r = 0.5f * x * (1f + tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
        else if (code == TANH) r = tanh(x);
        else if (code == SIGMOID) r = 1f / (1f + TornadoMath.exp(-x));
        else if (code == EXP) r = TornadoMath.exp(x);
        return r;
    }

    /** tanh by exp of a non-positive argument (no overflow): sign(x)·(1 − e^{−2|x|})/(1 + e^{−2|x|}). */
    public static float tanh(float x) {
        float e = TornadoMath.exp(-2f * TornadoMath.abs(x));
        float t = (1f - e) / (1f + e);
        return x < 0f ? -t : t;
    }

    /** erf from the Chebyshev fit of erfc in Numerical Recipes (the CPU's {@code ScalarMath.erf}, in float). */
    public static float erf(float x) {
        float z = TornadoMath.abs(x);
        float t = 1f / (1f + 0.5f * z);
        float poly = -z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
                + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
        float erfc = t * TornadoMath.exp(poly);
        return x >= 0f ? 1f - erfc : erfc - 1f;
    }
}
