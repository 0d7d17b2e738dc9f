package dev.vireo.engine.fused;

import dev.vireo.engine.kernel.ScalarKernels;

/**
 * The reference {@link FusedKernels}: plain loops, sums in double. This is the specification
 * {@code VectorFusedKernels} is tested against, and the fallback without the Vector API.
 */
public final class ScalarFusedKernels implements FusedKernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int aRow, int aCol,
                     float[] b, int bOff, int ldb, int m, int n, int k, float alpha, boolean accumulate) {
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[aOff + r * aRow + p * aCol] * b[bOff + p * ldb + j];
                int ci = cOff + r * ldc + j;
                c[ci] = accumulate ? (float) (c[ci] + alpha * s) : (float) (alpha * s);
            }
        }
    }

    @Override
    public void transpose(float[] dst, int dOff, int ld, float[] src, int sOff, int srcLd, int rows, int width) {
        ScalarKernels.transpose(dst, dOff, ld, src, sOff, srcLd, rows, width);
    }

    @Override
    public float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    @Override
    public float expShiftInPlace(float[] x, int off, int n, float shift) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - shift);
            x[off + i] = e;
            s += e;
        }
        return (float) s;
    }

    @Override
    public float expShiftSum(float[] x, int off, int n, float shift) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (float) Math.exp(x[off + i] - shift);
        return (float) s;
    }

    @Override
    public void scale(float[] x, int off, int n, float alpha) {
        for (int i = 0; i < n; i++) x[off + i] *= alpha;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
        return (float) s;
    }

    @Override
    public void softmaxGradInPlace(float[] ds, int dsOff, float[] p, int pOff, int n, float delta, float alpha) {
        for (int i = 0; i < n; i++) ds[dsOff + i] = alpha * p[pOff + i] * (ds[dsOff + i] - delta);
    }

    @Override
    public float clipGradRowInPlace(float[] l, int lOff, float rowLse, float[] colLse, int cOff, int n, float alpha) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            float x = l[lOff + j];
            float g = alpha * ((float) Math.exp(x - rowLse) + (float) Math.exp(x - colLse[cOff + j]));
            l[lOff + j] = g;
            s += (double) x * g;
        }
        return (float) s;
    }

    @Override
    public void columnMax(float[] colMax, float[] x, int xOff, int ld, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) colMax[j] = Math.max(colMax[j], x[xOff + r * ld + j]);
        }
    }

    @Override
    public void columnExpSum(float[] colSum, float[] colMax, float[] x, int xOff, int ld, int rows, int n) {
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += (float) Math.exp(x[xOff + r * ld + j] - colMax[j]);
            colSum[j] += (float) s;
        }
    }

    @Override
    public double sigmoidLossRow(float[] l, int lOff, int n, int diag, float bias) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            float x = l[lOff + j] + bias;
            s += softplus(j == diag ? -x : x); // softplus(-z·x)
        }
        return s;
    }

    @Override
    public void sigmoidGradRowInPlace(float[] l, int lOff, int n, int diag, float bias, float alpha, double[] sums) {
        double sl = 0, sg = 0;
        for (int j = 0; j < n; j++) {
            float x = l[lOff + j];
            float z = j == diag ? 1f : -1f;
            float g = alpha * -z * (float) (1.0 / (1.0 + Math.exp(z * (x + bias)))); // -z·σ(-z·(x + b))
            l[lOff + j] = g;
            sl += (double) x * g;
            sg += g;
        }
        sums[0] += sl;
        sums[1] += sg;
    }

    /** log(1 + e^u) without overflow. */
    static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    @Override
    public void adamw(float[] param, int pOff, float[] grad, float[] m, float[] v, int sOff, int n, float decay,
                      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize,
                      float bc2Sqrt) {
        for (int i = 0; i < n; i++) {
            int si = sOff + i, pi = pOff + i;
            float g = grad[si];
            float p = param[pi] * decay;
            float mi = m[si] * beta1 + oneMinusBeta1 * g;
            float vi = v[si] * beta2 + oneMinusBeta2 * g * g;
            m[si] = mi;
            v[si] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            param[pi] = p + -stepSize * mi / denom; // torch's addcdiv: p + value·m / denom
        }
    }
}
