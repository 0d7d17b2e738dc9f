package dev.vireo.engine.kernel.optim;

/** The reference {@link OptimizerKernels}: one element at a time, in float32 as torch computes it. */
public final class ScalarOptimizerKernels implements OptimizerKernels {

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
