package dev.vireo.engine.kernel.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link OptimizerKernels} with the JDK Vector API: multiplies and adds (no FMA), so the bits equal the reference's. */
public abstract class VectorOptimizerKernels implements OptimizerKernels {

    /**
     * The species, a constant in each subclass. The Vector API compiles to SIMD only where C2 sees a
     * constant species; a call here inlines to one when a run uses a single width (as production does).
     */
    abstract VectorSpecies<Float> species();

    /** Kernels at a width of 128, 256 or 512 bits. */
    public static VectorOptimizerKernels create(int bits) {
        return switch (bits) {
            case 128 -> new VectorOptimizerKernels() {
                @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_128; }
            };
            case 256 -> new VectorOptimizerKernels() {
                @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_256; }
            };
            case 512 -> new VectorOptimizerKernels() {
                @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_512; }
            };
            default -> throw new IllegalArgumentException("vector optimizer kernels: width must be 128, 256 or 512 bits, got " + bits);
        };
    }

    @Override
    public void adamw(float[] param, int pOff, float[] grad, float[] m, float[] v, int sOff, int n, float decay,
                      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize,
                      float bc2Sqrt) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        float negStep = -stepSize;
        int i = 0;
        // vector body: mul and add (no fma) so the bits match the scalar reference
        for (int bound = species.loopBound(n); i < bound; i += lanes) {
            int si = sOff + i, pi = pOff + i;
            FloatVector g = FloatVector.fromArray(species, grad, si);
            FloatVector p = FloatVector.fromArray(species, param, pi).mul(decay);
            FloatVector mi = FloatVector.fromArray(species, m, si).mul(beta1).add(g.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(species, v, si).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
            mi.intoArray(m, si);
            vi.intoArray(v, si);
            FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(bc2Sqrt).add(eps);
            p.add(mi.mul(negStep).div(denom)).intoArray(param, pi);
        }
        // scalar tail
        for (; i < n; i++) {
            int si = sOff + i, pi = pOff + i;
            float g = grad[si];
            float p = param[pi] * decay;
            float mi = m[si] * beta1 + oneMinusBeta1 * g;
            float vi = v[si] * beta2 + oneMinusBeta2 * g * g;
            m[si] = mi;
            v[si] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            param[pi] = p + negStep * mi / denom;
        }
    }
}
