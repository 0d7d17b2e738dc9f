package dev.vireo.engine.kernel.gemm;

import dev.vireo.engine.kernel.row.ScalarMath;
import dev.vireo.engine.kernel.row.UnaryOp;

/**
 * What a GEMM does with each product before it lands in C, fused so C is written once:
 * {@code C[i,j] = act(alpha·(A·B)[i,j] + C_old[i,j]·[accumulate] + bias[j]) + residual[i,j]}.
 * Each part is optional (alpha 1, no bias, no activation, no residual). The residual must not
 * overlap C; use {@code accumulate} for {@code C += A·B}.
 *
 * @param alpha      scale of the product
 * @param bias       per-column bias read at {@code bias[biasOff + j]}, or null
 * @param biasOff    offset of column 0's bias
 * @param activation applied after the bias, or null for none
 * @param residual   added after the activation, read at {@code residual[residualOff + i·ldr + j]}, or null
 * @param residualOff offset of element (0, 0) of the residual
 * @param ldr        row stride of the residual
 */
public record Epilogue(float alpha, float[] bias, int biasOff, UnaryOp activation,
                       float[] residual, int residualOff, int ldr) {

    /** Plain {@code C = A·B}. */
    public static final Epilogue NONE = new Epilogue(1f, null, 0, null, null, 0, 0);

    public Epilogue withAlpha(float alpha) {
        return new Epilogue(alpha, bias, biasOff, activation, residual, residualOff, ldr);
    }

    public Epilogue withBias(float[] bias, int biasOff) {
        return new Epilogue(alpha, bias, biasOff, activation, residual, residualOff, ldr);
    }

    public Epilogue withActivation(UnaryOp activation) {
        return new Epilogue(alpha, bias, biasOff, activation, residual, residualOff, ldr);
    }

    public Epilogue withResidual(float[] residual, int residualOff, int ldr) {
        return new Epilogue(alpha, bias, biasOff, activation, residual, residualOff, ldr);
    }

    /** True when something runs after the sum of products, beyond alpha and accumulate. */
    public boolean hasFinalStage() {
        return bias != null || activation != null || residual != null;
    }

    /** Scalar definition of the whole epilogue for element (i, j): the reference both GEMMs follow. */
    public float apply(float product, float previous, int i, int j) {
        return finish(alpha * product + previous, i, j);
    }

    /** The stages after the sum (bias, activation, residual) for element (i, j). */
    public float finish(float v, int i, int j) {
        if (bias != null) v += bias[biasOff + j];
        if (activation != null) v = ScalarMath.apply(activation, v);
        if (residual != null) v += residual[residualOff + i * ldr + j];
        return v;
    }
}
