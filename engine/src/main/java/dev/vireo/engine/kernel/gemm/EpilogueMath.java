package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.ScalarMath;
import dev.vireo.engine.kernel.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The GEMM epilogue's activations on vectors, built only from exactly rounded operations (add,
 * mul, fma, div, conversions). The Vector API's {@code EXP}/{@code TANH} give different bits in
 * the interpreter and in C2's intrinsic, so a result would depend on JIT warm-up; these do not.
 * exp is the Cephes {@code expf} reduction and polynomial (~1 ulp); erf is {@link ScalarMath#erf}'s fit.
 */
final class EpilogueMath {
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two so n·LN2_HI is exact (Cephes). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Adding 1.5·2^23 rounds a float of magnitude < 2^22 to an integer. */
    private static final float ROUND = 12582912f;

    private EpilogueMath() {}

    /** f(x) lane-wise: the vector counterpart of {@link ScalarMath#apply}. */
    static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case EXP -> exp(x);
            case TANH -> tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x.max(0f);
            case GELU -> x.mul(0.5f).mul(erf(x.mul(ScalarMath.INV_SQRT2)).add(1f));
            case GELU_TANH -> {
                FloatVector inner = x.mul(x).mul(x).mul(0.044715f).add(x).mul(ScalarMath.SQRT_2_OVER_PI);
                yield x.mul(0.5f).mul(tanh(inner).add(1f));
            }
            case QUICK_GELU -> x.mul(sigmoid(x.mul(1.702f)));
        };
    }

    /** e^x for x in [-87, 88] (clamped outside: a stand-in for 0 and ∞ that keeps sigmoid and erf exact); NaN stays NaN. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(-87f).min(88f);
        FloatVector n = xc.fma(LOG2E, ROUND).sub(ROUND); // round(x / ln 2)
        FloatVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO)); // n·LN2_HI is exact
        FloatVector p = r.broadcast(1.9875691500e-4f);
        p = p.fma(r, r.broadcast(1.3981999507e-3f));
        p = p.fma(r, r.broadcast(8.3334519073e-3f));
        p = p.fma(r, r.broadcast(4.1665795894e-2f));
        p = p.fma(r, r.broadcast(1.6666665459e-1f));
        p = p.fma(r, r.broadcast(5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n from its exponent bits: n in [-126, 127] after the clamp
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scale = bits.reinterpretAsFloats();
        return p.mul(scale).blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** σ(x) = 1 / (1 + e^-x) */
    static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(exp(x.neg()).add(1f));
    }

    /** tanh(x) = 1 - 2 / (e^{2x} + 1), odd-symmetric through |x| so it is exact in sign. */
    static FloatVector tanh(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector t = x.broadcast(1f).sub(x.broadcast(2f).div(exp(z.mul(2f)).add(1f)));
        return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f)).blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** erf with the Numerical Recipes Chebyshev fit of {@link ScalarMath#erf}, in float lanes. */
    static FloatVector erf(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector t = x.broadcast(1f).div(z.mul(0.5f).add(1f));
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
        return one.sub(erfc).blend(erfc.sub(one), x.compare(VectorOperators.LT, 0f));
    }
}
