package dev.vireo.engine.fused;

/**
 * The primitives behind the fused ops of this package (attention, contrastive losses, AdamW):
 * a small register-tiled block GEMM, row-wise exponentials and the optimiser update.
 * {@link ScalarFusedKernels} is the reference; {@link FusedProvider} picks the Vector API one.
 * Like {@code Kernels}: stateless, allocation-free, single-threaded, output argument first.
 */
public interface FusedKernels {

    /** {@code scalar} or {@code vector-512}. */
    String name();

    // ---------------------------------------------------------------- block GEMM

    /**
     * C = α·A·B (or C += α·A·B when {@code accumulate}) for an m×n block. A is m×k with element
     * (r, p) at {@code a[aOff + r·aRow + p·aCol]} (so either layout, or a transpose, is read in
     * place); B is k×n row-major with row stride ldb; C has row stride ldc.
     */
    void gemm(float[] c, int cOff, int ldc, float[] a, int aOff, int aRow, int aCol,
              float[] b, int bOff, int ldb, int m, int n, int k, float alpha, boolean accumulate);

    /** dst[dOff + c·ld + j] = src[sOff + j·srcLd + c] for j &lt; rows, c &lt; width: a block of strided rows, transposed. */
    void transpose(float[] dst, int dOff, int ld, float[] src, int sOff, int srcLd, int rows, int width);

    // ---------------------------------------------------------------- rows

    /** max x[i] over n (-∞ for n = 0). */
    float max(float[] x, int off, int n);

    /** x[i] = exp(x[i] - shift) in place; returns Σ x[i] (exp(-∞) = 0). */
    float expShiftInPlace(float[] x, int off, int n, float shift);

    /** Σ exp(x[i] - shift), x unchanged. */
    float expShiftSum(float[] x, int off, int n, float shift);

    /** x[i] *= alpha */
    void scale(float[] x, int off, int n, float alpha);

    /** Σ a[i]·b[i] */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** Softmax backward with the scale folded in: ds[i] = alpha·p[i]·(ds[i] - delta), ds holding dP on entry. */
    void softmaxGradInPlace(float[] ds, int dsOff, float[] p, int pOff, int n, float delta, float alpha);

    /**
     * One row of the symmetric InfoNCE logit gradient, in place:
     * l[j] = alpha·(exp(l[j] - rowLse) + exp(l[j] - colLse[j])); returns Σ l_in[j]·l_out[j] (for d/dt).
     */
    float clipGradRowInPlace(float[] l, int lOff, float rowLse, float[] colLse, int cOff, int n, float alpha);

    /** Column statistics of a block of rows: colMax[j] = max(colMax[j], max_r x[r·ld + j]). */
    void columnMax(float[] colMax, float[] x, int xOff, int ld, int rows, int n);

    /** colSum[j] += Σ_r exp(x[r·ld + j] - colMax[j]). */
    void columnExpSum(float[] colSum, float[] colMax, float[] x, int xOff, int ld, int rows, int n);

    /**
     * SigLIP loss of one row: Σ_j softplus(-z_j·(l[j] + bias)), z = +1 at column {@code diag}
     * (which may be -1: no positive in this row), else -1.
     */
    double sigmoidLossRow(float[] l, int lOff, int n, int diag, float bias);

    /**
     * SigLIP logit gradient of one row, in place: l[j] = alpha·(-z_j·σ(-z_j·(l[j] + bias))).
     * Adds Σ l_in[j]·l_out[j] to sums[0] and Σ l_out[j] to sums[1] (for the scale and bias gradients).
     */
    void sigmoidGradRowInPlace(float[] l, int lOff, int n, int diag, float bias, float alpha, double[] sums);

    // ---------------------------------------------------------------- optimiser

    /**
     * AdamW (Loshchilov and Hutter 2019) as torch.optim.AdamW computes it, for n elements, param from
     * pOff and grad, m, v from sOff: p *= decay (= 1 - lr·wd); m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
     * p += -stepSize·m / (√v / bc2Sqrt + eps), with stepSize = lr / (1 - β1^t), bc2Sqrt = √(1 - β2^t).
     * 1-β1 and 1-β2 come in as arguments so the caller can round them from double, as torch does.
     */
    void adamw(float[] param, int pOff, float[] grad, float[] m, float[] v, int sOff, int n, float decay,
               float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize, float bc2Sqrt);
}
