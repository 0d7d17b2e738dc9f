package dev.vireo.models.clip;

import dev.vireo.engine.tensor.Tensor;

/**
 * A contrastive loss of N matching image–text pairs, as open_clip's {@code loss.py} shapes them:
 * {@link ClipLoss} (symmetric InfoNCE, Radford et al. 2021) and {@link SigLipLoss} (pairwise sigmoid
 * with a learnable bias, Zhai et al. 2023).
 */
public interface ContrastiveObjective {
    /**
     * The loss () of unnormalised image and text features, (N, E) each: {@code logitScale} is t (a
     * one-element tensor, logits = exp(t)·cos + b), {@code logitBias} is b, or null for an objective
     * without one.
     */
    Tensor forward(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale, Tensor logitBias);

    /** Whether the model this objective trains must carry a learnable logit bias ({@link ClipModel#logitBias()}). */
    default boolean needsLogitBias() {
        return false;
    }

    /** The loss of {@code model}'s features with the model's own temperature and bias. */
    default Tensor forward(ClipModel model, Tensor imageFeatures, Tensor textFeatures) {
        return forward(imageFeatures, textFeatures, model.logitScale().value(),
                model.logitBias() == null ? null : model.logitBias().value());
    }
}
