package dev.vireo.engine.kernel.contrastive;

import dev.vireo.engine.kernel.row.VectorMath;
import dev.vireo.engine.kernel.row.VectorWidths;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** {@link ContrastiveKernels} with the JDK Vector API, one lane per column; tested against {@link ScalarContrastiveKernels}. */
public abstract class VectorContrastiveKernels implements ContrastiveKernels {

    /** The species: a constant in each width's subclass (see {@link VectorWidths}). */
    abstract VectorSpecies<Float> species();

    /** Kernels at a width of 128, 256 or 512 bits. */
    public static VectorContrastiveKernels create(int bits) {
        return VectorWidths.pick(bits, "vector contrastive kernels", Bits128::new, Bits256::new, Bits512::new);
    }

    private static final class Bits128 extends VectorContrastiveKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_128; }
    }

    private static final class Bits256 extends VectorContrastiveKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_256; }
    }

    private static final class Bits512 extends VectorContrastiveKernels {
        @Override VectorSpecies<Float> species() { return FloatVector.SPECIES_512; }
    }

    @Override
    public float clipGradRowInPlace(float[] l, int lOff, float rowLse, float[] colLse, int cOff, int n, float alpha) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        FloatVector acc = FloatVector.zero(species);
        for (int j = 0; j < n; j += lanes) {
            VectorMask<Float> mask = species.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(species, l, lOff + j, mask);
            FloatVector er = VectorMath.exp(x.sub(rowLse));
            FloatVector ec = VectorMath.exp(x.sub(FloatVector.fromArray(species, colLse, cOff + j, mask)));
            FloatVector g = er.add(ec).mul(alpha);
            g.intoArray(l, lOff + j, mask);
            acc = x.fma(g, acc); // masked lanes of x and g are zero
        }
        float s = 0f;
        for (int j = 0; j < acc.length(); j++) s += acc.lane(j); // in place: see VectorMath
        return s;
    }

    @Override
    public void columnMax(float[] colMax, float[] x, int xOff, int ld, int rows, int n) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        for (int j = 0; j < n; j += lanes) {
            VectorMask<Float> mask = species.indexInRange(j, n);
            FloatVector m = FloatVector.fromArray(species, colMax, j, mask);
            for (int r = 0; r < rows; r++) m = m.max(FloatVector.fromArray(species, x, xOff + r * ld + j, mask));
            m.intoArray(colMax, j, mask);
        }
    }

    @Override
    public void columnExpSum(float[] colSum, float[] colMax, float[] x, int xOff, int ld, int rows, int n) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        for (int j = 0; j < n; j += lanes) {
            VectorMask<Float> mask = species.indexInRange(j, n);
            FloatVector m = FloatVector.fromArray(species, colMax, j, mask);
            FloatVector s = FloatVector.zero(species);
            for (int r = 0; r < rows; r++) {
                s = s.add(VectorMath.exp(FloatVector.fromArray(species, x, xOff + r * ld + j, mask).sub(m)));
            }
            FloatVector.fromArray(species, colSum, j, mask).add(s).intoArray(colSum, j, mask);
        }
    }

    @Override
    public double sigmoidLossRow(float[] l, int lOff, int n, int diag, float bias) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        // every column as a negative (softplus(x)), then the diagonal term corrected in scalar
        FloatVector acc = FloatVector.zero(species);
        for (int j = 0; j < n; j += lanes) {
            VectorMask<Float> mask = species.indexInRange(j, n);
            FloatVector u = FloatVector.fromArray(species, l, lOff + j, mask).add(bias);
            FloatVector sp = u.max(0f).add(VectorMath.log1p(VectorMath.exp(u.abs().neg())));
            acc = acc.add(sp, mask);
        }
        float laneSum = 0f;
        for (int j = 0; j < acc.length(); j++) laneSum += acc.lane(j); // in place: see VectorMath
        double s = laneSum;
        if (diag >= 0 && diag < n) {
            float x = l[lOff + diag] + bias;
            s += ScalarContrastiveKernels.softplus(-x) - ScalarContrastiveKernels.softplus(x);
        }
        return s;
    }

    @Override
    public void sigmoidGradRowInPlace(float[] l, int lOff, int n, int diag, float bias, float alpha, double[] sums) {
        VectorSpecies<Float> species = species();
        int lanes = species.length();
        float xd = diag >= 0 && diag < n ? l[lOff + diag] : 0f;
        FloatVector accL = FloatVector.zero(species), accG = accL;
        for (int j = 0; j < n; j += lanes) {
            VectorMask<Float> mask = species.indexInRange(j, n);
            FloatVector x = FloatVector.fromArray(species, l, lOff + j, mask);
            // a negative (z = -1): g = alpha·σ(x + b) = alpha / (1 + e^-(x + b)); zero in masked lanes
            FloatVector g = FloatVector.broadcast(species, alpha).div(VectorMath.exp(x.add(bias).neg()).add(1f)).blend(0f, mask.not());
            g.intoArray(l, lOff + j, mask);
            accL = x.fma(g, accL);
            accG = accG.add(g);
        }
        float laneL = 0f, laneG = 0f;
        for (int j = 0; j < accL.length(); j++) { // in place: see VectorMath
            laneL += accL.lane(j);
            laneG += accG.lane(j);
        }
        double sl = laneL, sg = laneG;
        if (diag >= 0 && diag < n) { // the positive (z = +1): g = -alpha·σ(-(x + b))
            float gNeg = l[lOff + diag];
            float gPos = -alpha * (float) (1.0 / (1.0 + Math.exp(xd + bias)));
            l[lOff + diag] = gPos;
            sl += (double) xd * (gPos - gNeg);
            sg += gPos - gNeg;
        }
        sums[0] += sl;
        sums[1] += sg;
    }
}
