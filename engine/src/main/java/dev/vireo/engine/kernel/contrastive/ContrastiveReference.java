package dev.vireo.engine.kernel.contrastive;

/**
 * The straightforward full-matrix computation of the autograd ContrastiveLoss op's losses and their
 * gradients, in double: the N×N logits, softmax or sigmoid, and the gradient formulas written out.
 * It is the specification the chunked losses are tested against (O(N²) memory: for tests only).
 */
public final class ContrastiveReference {
    private ContrastiveReference() {}

    /** The loss and its gradients for a unit upstream gradient (dBias = Σ G, meaningful for SigLIP only). */
    public record Result(double loss, float[] dImage, float[] dText, double dScale, double dBias) {}

    /** CLIP InfoNCE of image (N×E) and text (N×E), row-major, with logit scale e^t. */
    public static Result clip(float[] image, float[] text, int n, int e, float t) {
        double[][] l = logits(image, text, n, e, Math.exp(t), 0);
        double[][] pr = new double[n][n], pc = new double[n][n];
        double loss = 0;
        for (int i = 0; i < n; i++) { // softmax over each row
            double lse = logSumExp(l[i]);
            loss += lse - l[i][i];
            for (int j = 0; j < n; j++) pr[i][j] = Math.exp(l[i][j] - lse);
        }
        for (int j = 0; j < n; j++) { // softmax over each column
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = l[i][j];
            double lse = logSumExp(col);
            loss += lse - l[j][j];
            for (int i = 0; i < n; i++) pc[i][j] = Math.exp(l[i][j] - lse);
        }
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) g[i][j] = (pr[i][j] + pc[i][j] - (i == j ? 2 : 0)) / (2.0 * n);
        }
        return backprop(loss / (2.0 * n), g, l, image, text, n, e, Math.exp(t), 0);
    }

    /** SigLIP of image and text with logit scale e^t and bias b. */
    public static Result siglip(float[] image, float[] text, int n, int e, float t, float b) {
        double[][] l = logits(image, text, n, e, Math.exp(t), b);
        double loss = 0;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double z = i == j ? 1 : -1;
                loss += ScalarContrastiveKernels.softplus(-z * l[i][j]);
                g[i][j] = -z / (1 + Math.exp(z * l[i][j])) / n; // d softplus(-z·l) / dl = -z·σ(-z·l)
            }
        }
        return backprop(loss / n, g, l, image, text, n, e, Math.exp(t), b);
    }

    private static double[][] logits(float[] x, float[] y, int n, int e, double scale, double bias) {
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = 0;
                for (int c = 0; c < e; c++) d += (double) x[i * e + c] * y[j * e + c];
                l[i][j] = scale * d + bias;
            }
        }
        return l;
    }

    private static double logSumExp(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        double s = 0;
        for (double x : v) s += Math.exp(x - m);
        return m + Math.log(s);
    }

    /** dX = s·G·Y, dY = s·Gᵀ·X, dt = Σ G∘(l - b), db = Σ G. */
    private static Result backprop(double loss, double[][] g, double[][] l, float[] x, float[] y, int n, int e,
                                   double scale, double bias) {
        float[] dx = new float[n * e], dy = new float[n * e];
        double dt = 0, db = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                dt += g[i][j] * (l[i][j] - bias);
                db += g[i][j];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < e; c++) {
                double ax = 0, ay = 0;
                for (int j = 0; j < n; j++) {
                    ax += g[i][j] * y[j * e + c];
                    ay += g[j][i] * x[j * e + c];
                }
                dx[i * e + c] = (float) (scale * ax);
                dy[i * e + c] = (float) (scale * ay);
            }
        }
        return new Result(loss, dx, dy, dt, db);
    }
}
