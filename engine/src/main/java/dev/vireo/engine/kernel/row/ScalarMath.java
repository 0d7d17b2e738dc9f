package dev.vireo.engine.kernel.row;

/**
 * Scalar definitions of the pointwise functions and their derivatives: the specification that
 * {@link ScalarRowKernels} loops over and {@link VectorRowKernels} must match.
 */
public final class ScalarMath {
    /** √(2/π), the GELU tanh-approximation constant. */
    public static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    /** 1/√2 */
    public static final float INV_SQRT2 = 0.7071067811865476f;
    /** 1/√(2π) */
    public static final float INV_SQRT_2PI = 0.3989422804014327f;

    private ScalarMath() {}

    /**
     * erf(x) from the Chebyshev fit of erfc in Numerical Recipes (fractional error below 1.2e-7
     * everywhere): accurate to float precision.
     */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
        double erfc = t * Math.exp(poly);
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }

    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** f(x) for the given op. */
    public static float apply(UnaryOp op, float x) {
        return switch (op) {
            case EXP -> (float) Math.exp(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : (x == x ? 0f : x); // NaN stays NaN
            case GELU -> (float) (0.5 * x * (1.0 + erf(x * INV_SQRT2)));
            case GELU_TANH -> {
                double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
                yield (float) (0.5 * x * (1.0 + Math.tanh(inner)));
            }
            case QUICK_GELU -> x * sigmoid(1.702f * x);
        };
    }

    /** f'(x) for the given op. */
    public static float derivative(UnaryOp op, float x) {
        return switch (op) {
            case EXP -> (float) Math.exp(x);
            case TANH -> {
                double t = Math.tanh(x);
                yield (float) (1.0 - t * t);
            }
            case SIGMOID -> {
                float s = sigmoid(x);
                yield s * (1f - s);
            }
            case RELU -> x > 0 ? 1f : (x == x ? 0f : x);
            case GELU -> {
                double cdf = 0.5 * (1.0 + erf(x * INV_SQRT2));
                double pdf = INV_SQRT_2PI * Math.exp(-0.5 * x * x);
                yield (float) (cdf + x * pdf);
            }
            case GELU_TANH -> {
                double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
                double t = Math.tanh(inner);
                double dInner = SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x * x);
                yield (float) (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * dInner);
            }
            case QUICK_GELU -> {
                float s = sigmoid(1.702f * x);
                yield s + 1.702f * x * s * (1f - s);
            }
        };
    }
}
