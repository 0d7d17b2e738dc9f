package dev.vireo.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** The pointwise functions of {@link ScalarMath}, a vector of lanes at a time. */
final class VectorMath {
    private VectorMath() {}

    static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case EXP -> x.lanewise(VectorOperators.EXP);
            case TANH -> x.lanewise(VectorOperators.TANH);
            case SIGMOID -> sigmoid(x);
            case RELU -> x.max(0f);
            case GELU -> x.mul(0.5f).mul(erf(x.mul(ScalarMath.INV_SQRT2)).add(1f));
            case GELU_TANH -> {
                FloatVector inner = x.mul(x).mul(x).mul(0.044715f).add(x).mul(ScalarMath.SQRT_2_OVER_PI);
                yield x.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
            }
            case QUICK_GELU -> x.mul(sigmoid(x.mul(1.702f)));
        };
    }

    static FloatVector derivative(UnaryOp op, FloatVector x) {
        return switch (op) {
            case EXP -> x.lanewise(VectorOperators.EXP);
            case TANH -> {
                FloatVector t = x.lanewise(VectorOperators.TANH);
                yield t.mul(t).neg().add(1f);
            }
            case SIGMOID -> {
                FloatVector s = sigmoid(x);
                yield s.mul(s.neg().add(1f));
            }
            case RELU -> {
                // 1 where x > 0, NaN where x is NaN, else 0
                FloatVector one = x.broadcast(1f);
                FloatVector zero = x.broadcast(0f);
                FloatVector d = zero.blend(one, x.compare(VectorOperators.GT, 0f));
                yield d.blend(x, x.test(VectorOperators.IS_NAN));
            }
            case GELU -> {
                FloatVector cdf = erf(x.mul(ScalarMath.INV_SQRT2)).add(1f).mul(0.5f);
                FloatVector pdf = x.mul(x).mul(-0.5f).lanewise(VectorOperators.EXP).mul(ScalarMath.INV_SQRT_2PI);
                yield x.fma(pdf, cdf);
            }
            case GELU_TANH -> {
                FloatVector x2 = x.mul(x);
                FloatVector inner = x2.mul(x).mul(0.044715f).add(x).mul(ScalarMath.SQRT_2_OVER_PI);
                FloatVector t = inner.lanewise(VectorOperators.TANH);
                FloatVector dInner = x2.mul(3 * 0.044715f).add(1f).mul(ScalarMath.SQRT_2_OVER_PI);
                FloatVector left = t.add(1f).mul(0.5f);
                yield x.mul(0.5f).mul(t.mul(t).neg().add(1f)).fma(dInner, left);
            }
            case QUICK_GELU -> {
                FloatVector s = sigmoid(x.mul(1.702f));
                yield x.mul(1.702f).mul(s).mul(s.neg().add(1f)).add(s);
            }
        };
    }

    static FloatVector sigmoid(FloatVector x) {
        return x.broadcast(1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
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
        FloatVector erfc = t.mul(p.sub(z.mul(z)).lanewise(VectorOperators.EXP));
        FloatVector one = x.broadcast(1f);
        FloatVector positive = one.sub(erfc);
        return positive.blend(erfc.sub(one), x.compare(VectorOperators.LT, 0f));
    }
}
