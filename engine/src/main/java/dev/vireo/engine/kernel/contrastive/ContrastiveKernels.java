package dev.vireo.engine.kernel.contrastive;

/**
 * The contrastive-loss family: the row and column steps of CLIP's InfoNCE and SigLIP's sigmoid loss
 * over blocks of logits ({@link PairwiseLogits} makes the blocks with the GEMM family).
 * {@link ScalarContrastiveKernels} is the reference; {@link VectorContrastiveKernels} the Vector API
 * form. Stateless, allocation-free, single-threaded, output argument first.
 */
public interface ContrastiveKernels {

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

}
