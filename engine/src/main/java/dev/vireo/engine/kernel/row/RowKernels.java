package dev.vireo.engine.kernel.row;

/**
 * The pointwise and row family: the primitives every elementwise, reduction and normalisation op
 * is built from, and the row steps of the fused ops (attention's online softmax, the contrastive
 * losses). {@link ScalarRowKernels} is the reference (plain loops, the specification);
 * {@link VectorRowKernels} is an optimisation of it with the JDK Vector API. Kernels are stateless,
 * allocation-free and single-threaded: arrays plus offsets in, output argument first. Callers
 * validate arguments; {@code ComputePool} parallelises calls.
 */
public interface RowKernels {

    /** Σ a[i]·b[i], accumulated in float. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** y[i] += alpha·x[i] */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** out[i] = a[i] + b[i] */
    void add(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * sums[j] += x[xOff + r·ld + j] for j &lt; n, the rows r = 0 .. rows-1 added one after the other in
     * float (a bias's gradient: the column sums of dY). The order is the definition: every provider
     * gives the same bits as adding the rows to {@code sums} one by one.
     */
    void addColumnSums(float[] sums, int sOff, float[] x, int xOff, int ld, int rows, int n);

    /** out[i] = a[i] - b[i] */
    void sub(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n);

    /** out[i] = a[i] · b[i] */
    void mul(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n);

    /** out[i] = a[i] / b[i] */
    void div(float[] out, int oOff, float[] a, int aOff, float[] b, int bOff, int n);

    /** out[i] = alpha·a[i] + beta */
    void affine(float[] out, int oOff, float[] a, int aOff, float alpha, float beta, int n);

    /** Σ a[i], accumulated in float with lane-parallel partial sums. */
    float sum(float[] a, int off, int n);

    /** max a[i]; NaN if any element is NaN; -∞ for n = 0. */
    float max(float[] a, int off, int n);

    /** x[i] *= alpha */
    void scale(float[] x, int off, int n, float alpha);

    /** out[i] = exp(x[i] - shift) (out may be x: in place); returns Σ out[i] (exp(-∞) = 0). */
    float expShift(float[] out, int oOff, float[] x, int xOff, int n, float shift);

    /** Σ exp(x[i] - shift), x unchanged. */
    float expShiftSum(float[] x, int off, int n, float shift);

    /** Softmax backward with the scale folded in: ds[i] = alpha·p[i]·(ds[i] - delta), ds holding dP on entry. */
    void softmaxGradInPlace(float[] ds, int dsOff, float[] p, int pOff, int n, float delta, float alpha);

    /** out[i] = f(x[i]) */
    void unary(UnaryOp op, float[] out, int oOff, float[] x, int xOff, int n);

    /** gradIn[i] = f'(x[i]) · gradOut[i] (gradIn is overwritten; it may be gradOut itself, in place). */
    void unaryBackward(UnaryOp op, float[] gradIn, int gOff, float[] x, int xOff, float[] gradOut, int goOff, int n);

    /** out[i] = exp(x[i] - max x) / Σ exp(x[j] - max x) over one row of n. */
    void softmaxRow(float[] out, int oOff, float[] x, int xOff, int n);

    /** out[i] = x[i] - max x - log Σ exp(x[j] - max x) over one row of n. */
    void logSoftmaxRow(float[] out, int oOff, float[] x, int xOff, int n);

    /**
     * Layer norm of one row: out = (x - μ)·r·γ + β with r = 1/√(var + eps) (biased variance).
     * Writes μ and r to {@code stats[sOff]} and {@code stats[sOff + 1]} for the backward pass.
     * {@code gamma} and {@code beta} may be null (no affine part).
     */
    void layerNormRow(float[] out, int oOff, float[] x, int xOff, float[] gamma, float[] beta, int n,
                      float eps, float[] stats, int sOff);

    /**
     * Backward of {@link #layerNormRow}: writes dx (overwrites) and accumulates dγ, dβ
     * (either may be null). With x̂ = (x - μ)·r and g = dy·γ: dx = r·(g - mean(g) - x̂·mean(g·x̂)).
     */
    void layerNormBackwardRow(float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff,
                              float[] gamma, float[] dGamma, float[] dBeta, int n, float[] stats, int sOff);
}
