package dev.vireo.engine.tensor;

import dev.vireo.engine.kernel.row.UnaryOp;

/**
 * One pre-LN transformer encoder layer as a device plans it: y = h + fc2(act(fc1(ln2(h)))) with
 * h = x + out(attention(q(ln1(x)), k(ln1(x)), v(ln1(x)))). Weights (out, in) as PyTorch stores them;
 * biases (out), every one present. What {@code TransformerBlock.layer()} hands {@link ComputeProvider#encoder}.
 */
public record EncoderLayer(Tensor norm1Gamma, Tensor norm1Beta, float norm1Eps,
                           Tensor q, Tensor qBias, Tensor k, Tensor kBias, Tensor v, Tensor vBias, Tensor out, Tensor outBias, int heads,
                           Tensor norm2Gamma, Tensor norm2Beta, float norm2Eps,
                           Tensor fc1, Tensor fc1Bias, UnaryOp activation, Tensor fc2, Tensor fc2Bias) {
    /** How many tensors {@link #tensors()} gives. */
    public static final int TENSORS = 16;

    /** Every weight and bias, in the order above. */
    public Tensor[] tensors() {
        return new Tensor[] {norm1Gamma, norm1Beta, q, qBias, k, kBias, v, vBias, out, outBias, norm2Gamma, norm2Beta, fc1, fc1Bias, fc2, fc2Bias};
    }

    /** The model width C. */
    public int width() {
        return q.size(1);
    }

    /** The MLP's hidden width. */
    public int hidden() {
        return fc1.size(0);
    }
}
