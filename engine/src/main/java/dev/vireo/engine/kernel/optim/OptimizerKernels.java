package dev.vireo.engine.kernel.optim;

/**
 * The optimizer family: the fused AdamW update of a range of parameters ({@link AdamWStep} cuts a
 * model's parameters into chunks and runs it on the pool). {@link ScalarOptimizerKernels} is the
 * reference; {@link VectorOptimizerKernels} computes the same bits with the Vector API.
 */
public interface OptimizerKernels {

    /**
     * AdamW (Loshchilov and Hutter 2019) as torch.optim.AdamW computes it, for n elements, param from
     * pOff and grad, m, v from sOff: p *= decay (= 1 - lr·wd); m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
     * p += -stepSize·m / (√v / bc2Sqrt + eps), with stepSize = lr / (1 - β1^t), bc2Sqrt = √(1 - β2^t).
     * 1-β1 and 1-β2 come in as arguments so the caller can round them from double, as torch does.
     */
    void adamw(float[] param, int pOff, float[] grad, float[] m, float[] v, int sOff, int n, float decay,
               float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize, float bc2Sqrt);

}
