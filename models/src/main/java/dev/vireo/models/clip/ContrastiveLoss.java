package dev.vireo.models.clip;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

/**
 * CLIP's symmetric InfoNCE (Radford et al. 2021; van den Oord et al. 2018): with L2-normalised
 * image features I and text features T of N matching pairs, logits = s·I·Tᵀ where s = exp(t) is
 * the learnable inverse temperature, and loss = (CE(logits, diag) + CE(logitsᵀ, diag)) / 2.
 */
public final class ContrastiveLoss {
    private final Float fixedTemperature;

    /** The temperature comes from the model's learnable logit scale. */
    public ContrastiveLoss() {
        this.fixedTemperature = null;
    }

    /** A fixed temperature τ (logits divided by τ): for lessons and ablations. */
    public ContrastiveLoss(float temperature) {
        if (!(temperature > 0)) throw new IllegalArgumentException("ContrastiveLoss: temperature must be positive, got " + temperature);
        this.fixedTemperature = temperature;
    }

    /** Loss of unnormalised features (N, E) and (N, E); {@code scale} is exp(t) as a one-element tensor (ignored with a fixed temperature). */
    public Tensor forward(Tensor imageFeatures, Tensor textFeatures, Tensor scale) {
        if (!Shapes.equal(imageFeatures.shape(), textFeatures.shape()) || imageFeatures.rank() != 2) {
            throw new IllegalArgumentException("contrastive loss: image features " + Shapes.str(imageFeatures.shape())
                    + " and text features " + Shapes.str(textFeatures.shape()) + " must both be (N, E)");
        }
        int n = imageFeatures.size(0);
        Tensor i = Norms.l2Normalize(imageFeatures, -1, Norms.NORMALIZE_EPS); // (N, E)
        Tensor t = Norms.l2Normalize(textFeatures, -1, Norms.NORMALIZE_EPS);  // (N, E)
        Tensor cos = i.matmul(t.transpose(0, 1));                             // (N, N)
        Tensor logits = fixedTemperature != null ? cos.mul(1f / fixedTemperature) : cos.mul(scale); // (N, N)
        int[] diagonal = new int[n];
        for (int k = 0; k < n; k++) diagonal[k] = k;
        Tensor imageToText = Losses.crossEntropy(logits, diagonal);                      // ()
        Tensor textToImage = Losses.crossEntropy(logits.transpose(0, 1), diagonal);      // ()
        return imageToText.add(textToImage).mul(0.5f);                                   // ()
    }
}
