package dev.vireo.engine.kernel.optim;

import dev.vireo.engine.kernel.row.VectorWidths;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link OptimizerKernels} with the JDK Vector API: multiplies and adds (no FMA), so the bits equal the reference's. */
public abstract class VectorOptimizerKernels implements OptimizerKernels {
    private static final ScalarOptimizerKernels REFERENCE = new ScalarOptimizerKernels();


    /** The species: a constant in each width's subclass (see {@link VectorWidths}). */
    abstract VectorSpecies<Float> species();

    /** Kernels at a width of 128, 256 or 512 bits. */
    public static VectorOptimizerKernels create(int bits) {
        return VectorWidths.pick(bits, "vector optimizer kernels", Bits128::new, Bits256::new, Bits512::new);
    }

    private static final class Bits128 extends VectorOptimizerKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_128; }
    }

    private static final class Bits256 extends VectorOptimizerKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_256; }
    }

    private static final class Bits512 extends VectorOptimizerKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_512; }
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
        // the tail: the reference itself, element for element the same operations
        REFERENCE.adamw(param, pOff + i, grad, m, v, sOff + i, n - i, decay, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
                eps, stepSize, bc2Sqrt);
    }
}
