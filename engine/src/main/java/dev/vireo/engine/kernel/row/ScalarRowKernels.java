package dev.vireo.engine.kernel.row;

/**
 * The reference row kernels: plain loops, obviously correct, accumulating in double where a sum is
 * long. This is the specification {@link VectorRowKernels} is tested against, and the fallback when
 * the Vector API module is absent.
 */
public class ScalarRowKernels implements RowKernels {

    /**
     * dst[dOff + c·ld + j] = src[sOff + j·srcLd + c] for j &lt; rows, c &lt; width: a block of strided
     * rows, transposed. The reference for {@link VectorTranspose}, and its edges.
     */
    public static void transpose(float[] dst, int dOff, int ld, float[] src, int sOff, int srcLd, int rows, int width) {
        for (int j = 0; j < rows; j++) {
            int row = sOff + j * srcLd;
            for (int c = 0; c < width; c++) dst[dOff + c * ld + j] = src[row + c];
        }
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
        return (float) s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public void addColumnSums(float[] sums, int sOff, float[] x, int xOff, int ld, int rows, int n) {
        for (int j = 0; j < n; j++) {
            float s = sums[sOff + j];
            for (int r = 0; r < rows; r++) s += x[xOff + r * ld + j];
            sums[sOff + j] = s;
        }
    }

    @Override
    public void add(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] + b[bOff + i];
    }

    @Override
    public void sub(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] - b[bOff + i];
    }

    @Override
    public void mul(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] * b[bOff + i];
    }

    @Override
    public void div(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = a[aOff + i] / b[bOff + i];
    }

    @Override
    public void affine(float[] out, int oOff, float[] a, int aOff, float alpha, float beta, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = alpha * a[aOff + i] + beta;
    }

    @Override
    public float sum(float[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[off + i];
        return (float) s;
    }

    @Override
    public float max(float[] a, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = a[off + i];
            if (v != v) return Float.NaN;
            if (v > m) m = v;
        }
        return m;
    }

    @Override
    public void unary(UnaryOp op, float[] out, int oOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) out[oOff + i] = ScalarMath.apply(op, x[xOff + i]);
    }

    @Override
    public void unaryBackward(UnaryOp op, float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n) {
        for (int i = 0; i < n; i++) gradIn[gOff + i] = ScalarMath.derivative(op, x[xOff + i]) * gradOut[goOff + i];
    }

    @Override
    public void softmaxRow(float[] out, int oOff, float[] x, int xOff, int n) {
        float total = expShift(out, oOff, x, xOff, n, max(x, xOff, n));
        scale(out, oOff, n, 1f / total);
    }

    @Override
    public void logSoftmaxRow(float[] out, int oOff, float[] x, int xOff, int n) {
        float max = max(x, xOff, n);
        float shift = max + (float) Math.log(expShiftSum(x, xOff, n, max));
        for (int i = 0; i < n; i++) out[oOff + i] = x[xOff + i] - shift;
    }

    @Override
    public void scale(float[] x, int off, int n, float alpha) {
        for (int i = 0; i < n; i++) x[off + i] *= alpha;
    }

    @Override
    public float expShift(float[] out, int oOff, float[] x, int xOff, int n, float shift) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - shift);
            out[oOff + i] = e;
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
    public void softmaxGradInPlace(float[] ds, int dsOff, float[] p, int pOff, int n, float delta, float alpha) {
        for (int i = 0; i < n; i++) ds[dsOff + i] = alpha * p[pOff + i] * (ds[dsOff + i] - delta);
    }

    @Override
    public void layerNormRow(float[] out, int oOff, float[] x, int xOff, float[] gamma, float[] beta, int n,
                             float eps, float[] stats, int sOff) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[xOff + i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = x[xOff + i] - mean;
            var += d * d;
        }
        var /= n;
        float mu = (float) mean;
        float rstd = (float) (1.0 / Math.sqrt(var + eps));
        normalize(out, oOff, x, xOff, gamma, beta, 0, n, mu, rstd, stats, sOff);
    }

    /**
     * Elements [from, n) of a layer-norm row given its μ and 1/σ: out = (x - μ)·r·γ + β, then the
     * statistics (when {@code stats} is not null). The reference's loop, and the vector kernel's tail.
     */
    static void normalize(float[] out, int oOff, float[] x, int xOff, float[] gamma, float[] beta, int from, int n,
                          float mu, float rstd, float[] stats, int sOff) {
        for (int i = from; i < n; i++) {
            float y = (x[xOff + i] - mu) * rstd;
            if (gamma != null) y *= gamma[i];
            if (beta != null) y += beta[i];
            out[oOff + i] = y;
        }
        if (stats != null) {
            stats[sOff] = mu;
            stats[sOff + 1] = rstd;
        }
    }

    @Override
    public void layerNormBackwardRow(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff,
                                     float[] gamma, float[] dGamma, float[] dBeta, int n, float[] stats, int sOff) {
        float mu = stats[sOff];
        float rstd = stats[sOff + 1];
        double meanG = 0;
        double meanGX = 0;
        for (int i = 0; i < n; i++) {
            float xhat = (x[xOff + i] - mu) * rstd;
            float g = dy[dyOff + i] * (gamma != null ? gamma[i] : 1f);
            meanG += g;
            meanGX += g * xhat;
            if (dGamma != null) dGamma[i] += dy[dyOff + i] * xhat;
            if (dBeta != null) dBeta[i] += dy[dyOff + i];
        }
        float mg = (float) (meanG / n);
        float mgx = (float) (meanGX / n);
        inputGrad(dx, dxOff, dy, dyOff, x, xOff, gamma, 0, n, mu, rstd, mg, mgx);
    }

    /**
     * Elements [from, n) of layer norm's dx given the row's μ, 1/σ, mean(g) and mean(g·x̂):
     * dx = r·(g - mean(g) - x̂·mean(g·x̂)). The reference's loop, and the vector kernel's tail.
     */
    static void inputGrad(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff, float[] gamma, int from, int n,
                          float mu, float rstd, float mg, float mgx) {
        for (int i = from; i < n; i++) {
            float xhat = (x[xOff + i] - mu) * rstd;
            float g = dy[dyOff + i] * (gamma != null ? gamma[i] : 1f);
            dx[dxOff + i] = rstd * (g - mg - xhat * mgx);
        }
    }

}
