package dev.vireo.engine.kernel.row;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The pointwise functions of {@link ScalarMath}, a vector of lanes at a time. Everything here is
 * built from IEEE lane arithmetic only: the Vector API's own EXP, TANH and ADD reduction may give
 * different bits interpreted and JIT-compiled, which would make results depend on timing.
 *
 * <p>There is no helper for the sum of a vector's lanes: each kernel writes it in place, in lane
 * order ({@code for (j < v.length()) s += v.lane(j)}). A helper that takes a vector boxes it
 * whenever C2 declines to inline the call, and it declines by node count or call-site frequency in
 * a kernel that is large or whose loop runs long: a loop-carried accumulator then boxes on every
 * iteration. {@code layerNormRow} at width 512 allocated 3.4 KB a row that way, compiled so in
 * one JVM and not in the next, and ran 4x slower (the small CLIP's training made 290 MB of boxes a
 * step). {@code reduceLanes(ADD)} reassociates once compiled (see above). Nor is an accumulator
 * carried from one loop into a second: C2 then kept it boxed on every iteration in some JVMs too
 * (see {@link VectorRowKernels#sum}).
 */
public final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two (Cephes), so n·ln2 is subtracted without rounding error. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding and subtracting it rounds a float of magnitude below 2²² to an integer. */
    private static final float ROUND_MAGIC = 12582912f;

    private VectorMath() {}

    /**
     * exp(x) (Cephes expf: x = n·ln2 + r, a degree-6 polynomial in r, scaled by 2ⁿ in two exact
     * steps so overflow and gradual underflow round once). Within 2 ulp of Math.exp.
     */
    public static FloatVector exp(FloatVector x) {
        // Below -105 the result rounds to +0 (e^-105 is a third of the smallest subnormal), which those
        // lanes get by a blend after computing exp(0): a multiply whose result underflows costs a
        // microcode assist, and a softmax row half masked to -∞ ran at 3.0 ns a value instead of 1.1
        VectorMask<Float> zero = x.compare(VectorOperators.LT, -105f);
        FloatVector xc = x.min(89f).blend(0f, zero); // exp overflows above 89; NaN passes
        FloatVector n = xc.mul(LOG2E).add(ROUND_MAGIC).sub(ROUND_MAGIC);
        FloatVector r = n.fma(n.broadcast(-LN2_HI), xc);
        r = n.fma(n.broadcast(-LN2_LO), r);
        FloatVector p = r.broadcast(1.9875691500e-4f);
        p = p.fma(r, r.broadcast(1.3981999507e-3f));
        p = p.fma(r, r.broadcast(8.3334519073e-3f));
        p = p.fma(r, r.broadcast(4.1665795894e-2f));
        p = p.fma(r, r.broadcast(1.6666665459e-1f));
        p = p.fma(r, r.broadcast(5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r.add(1f));
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2).blend(0f, zero);
    }

        /** tanh(x) (Cephes tanhf): an odd polynomial below |x| = 0.625, 1 - 2/(e^{2|x|} + 1) above. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector one = x.broadcast(1f);
        FloatVector big = one.sub(x.broadcast(2f).div(exp(ax.mul(2f)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = x.broadcast(-5.70498872745e-3f);
        p = p.fma(z, x.broadcast(2.06390887954e-2f));
        p = p.fma(z, x.broadcast(-5.37397155531e-2f));
        p = p.fma(z, x.broadcast(1.33314422036e-1f));
        p = p.fma(z, x.broadcast(-3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        return big.blend(small, ax.compare(VectorOperators.LT, 0.625f));
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(ScalarMath.INV_SQRT2)).add(1f));
    }

    static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(x).mul(x).mul(0.044715f).add(x).mul(ScalarMath.SQRT_2_OVER_PI);
        return x.mul(0.5f).mul(tanh(inner).add(1f));
    }

    static FloatVector quickGelu(FloatVector x) {
        return x.mul(sigmoid(x.mul(1.702f)));
    }

    static FloatVector tanhDerivative(FloatVector x) {
        FloatVector t = tanh(x);
        return t.mul(t).neg().add(1f);
    }

    static FloatVector sigmoidDerivative(FloatVector x) {
        FloatVector s = sigmoid(x);
        return s.mul(s.neg().add(1f));
    }

    /** 1 where x > 0, NaN where x is NaN, else 0. */
    static FloatVector reluDerivative(FloatVector x) {
        FloatVector one = x.broadcast(1f);
        FloatVector zero = x.broadcast(0f);
        FloatVector d = zero.blend(one, x.compare(VectorOperators.GT, 0f));
        return d.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** Φ(x) = (1 + erf(x/√2))/2. */
    static FloatVector geluCdf(FloatVector x) {
        return erf(x.mul(ScalarMath.INV_SQRT2)).add(1f).mul(0.5f);
    }

    /** Φ(x) + x·φ(x) given Φ(x). */
    static FloatVector geluDerivative(FloatVector x, FloatVector cdf) {
        FloatVector pdf = exp(x.mul(x).mul(-0.5f)).mul(ScalarMath.INV_SQRT_2PI);
        return x.fma(pdf, cdf);
    }

    static FloatVector geluTanhDerivative(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector inner = x2.mul(x).mul(0.044715f).add(x).mul(ScalarMath.SQRT_2_OVER_PI);
        FloatVector t = tanh(inner);
        FloatVector dInner = x2.mul(3 * 0.044715f).add(1f).mul(ScalarMath.SQRT_2_OVER_PI);
        FloatVector left = t.add(1f).mul(0.5f);
        return x.mul(0.5f).mul(t.mul(t).neg().add(1f)).fma(dInner, left);
    }

    static FloatVector quickGeluDerivative(FloatVector x) {
        FloatVector s = sigmoid(x.mul(1.702f));
        return x.mul(1.702f).mul(s).mul(s.neg().add(1f)).add(s);
    }

    static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(exp(x.neg()).add(1f));
    }

    /** erf with the same Numerical Recipes Chebyshev fit as {@link ScalarMath#erf}, in float lanes. */
    static FloatVector erf(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector t = z.mul(0.5f).add(1f);
        t = t.broadcast(1f).div(t);
        FloatVector p = t.broadcast(0.17087277f);
        p = p.fma(t, t.broadcast(-0.82215223f));
        p = p.fma(t, t.broadcast(1.48851587f));
        p = p.fma(t, t.broadcast(-1.13520398f));
        p = p.fma(t, t.broadcast(0.27886807f));
        p = p.fma(t, t.broadcast(-0.18628806f));
        p = p.fma(t, t.broadcast(0.09678418f));
        p = p.fma(t, t.broadcast(0.37409196f));
        p = p.fma(t, t.broadcast(1.00002368f));
        p = p.fma(t, t.broadcast(-1.26551223f));
        FloatVector erfc = t.mul(exp(p.sub(z.mul(z))));
        FloatVector one = x.broadcast(1f);
        FloatVector positive = one.sub(erfc);
        return positive.blend(erfc.sub(one), x.compare(VectorOperators.LT, 0f));
    }

    /** log(1 + x) per lane through {@link Math#log1p}: exact and the same bits compiled or not (used by the SigLIP loss). */
    public static FloatVector log1p(FloatVector x) {
        float[] lanes = x.toArray();
        for (int i = 0; i < lanes.length; i++) lanes[i] = (float) Math.log1p(lanes[i]);
        return FloatVector.fromArray(x.species(), lanes, 0);
    }
}
