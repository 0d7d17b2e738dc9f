package dev.vireo.engine.kernel.contrastive;

/** The reference {@link ContrastiveKernels}: plain loops, sums in double; the specification of the vector form. */
public final class ScalarContrastiveKernels implements ContrastiveKernels {

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
    public static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }
}
