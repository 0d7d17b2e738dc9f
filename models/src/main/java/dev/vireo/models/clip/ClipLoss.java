package dev.vireo.models.clip;

import dev.vireo.engine.autograd.ContrastiveLoss;
import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * CLIP's symmetric InfoNCE (Radford et al. 2021; van den Oord et al. 2018): with L2-normalised
 * image features I and text features T of N matching pairs, logits = s·I·Tᵀ where s = exp(t) is
 * the learnable inverse temperature, and loss = (CE(logits, diag) + CE(logitsᵀ, diag)) / 2.
 */
public final class ClipLoss implements ContrastiveObjective {
    private final Float fixedTemperature;

    /** The temperature comes from the model's learnable logit scale. */
    public ClipLoss() {
        this.fixedTemperature = null;
    }

    /** A fixed temperature τ (logits divided by τ): for lessons and ablations. */
    public ClipLoss(float temperature) {
        if (!(temperature > 0)) throw new IllegalArgumentException("ClipLoss: temperature must be positive, got " + temperature);
        this.fixedTemperature = temperature;
    }

    /**
     * Loss of unnormalised features (N, E) and (N, E). {@code logitScale} is t (a one-element tensor,
     * logits = exp(t)·cos), ignored with a fixed temperature. The logits are computed in row chunks
     * and never held whole (the engine's fused {@link ContrastiveLoss}).
     */
    public Tensor forward(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale) {
        checkPairs(imageFeatures, textFeatures);
        Tensor i = Norms.l2Normalize(imageFeatures, -1, Norms.NORMALIZE_EPS); // (N, E)
        Tensor t = Norms.l2Normalize(textFeatures, -1, Norms.NORMALIZE_EPS);  // (N, E)
        Tensor scale = fixedTemperature != null ? Tensor.scalar((float) Math.log(1 / fixedTemperature)) : logitScale; // ()
        return ContrastiveLoss.clip(i, t, scale); // ()
    }

    /** As {@link #forward(Tensor, Tensor, Tensor)}: CLIP's softmax has no bias, so {@code logitBias} is not used. */
    @Override
    public Tensor forward(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale, Tensor logitBias) {
        return forward(imageFeatures, textFeatures, logitScale);
    }

    static void checkPairs(Tensor imageFeatures, Tensor textFeatures) {
        if (!Shapes.equal(imageFeatures.shape(), textFeatures.shape()) || imageFeatures.rank() != 2) {
            throw new IllegalArgumentException("contrastive loss: image features " + Shapes.str(imageFeatures.shape())
                    + " and text features " + Shapes.str(textFeatures.shape()) + " must both be (N, E)");
        }
    }
}
