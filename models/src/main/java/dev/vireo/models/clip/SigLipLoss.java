package dev.vireo.models.clip;

import dev.vireo.engine.autograd.ContrastiveLoss;
import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.Tensor;

/**
 * SigLIP's pairwise sigmoid loss (Zhai et al. 2023): every image–text pair of the batch is a binary
 * problem, logits = exp(t)·cos + b with the matching pairs positive, scored by log-sigmoid (the
 * engine's fused {@link ContrastiveLoss#siglip}). The bias b is a parameter of the model
 * ({@link ClipModel#logitBias()}).
 */
public final class SigLipLoss implements ContrastiveObjective {
    /** b's starting value: the many negative pairs start near zero loss. */
    public static final float INIT_LOGIT_BIAS = -10f;

    @Override
    public Tensor forward(Tensor imageFeatures, Tensor textFeatures, Tensor logitScale, Tensor logitBias) {
        if (logitBias == null) throw new IllegalArgumentException("siglip loss: the model has no logit bias (its config's logitBias is false)");
        ClipLoss.checkPairs(imageFeatures, textFeatures);
        Tensor i = Norms.l2Normalize(imageFeatures, -1, Norms.NORMALIZE_EPS); // (N, E)
        Tensor t = Norms.l2Normalize(textFeatures, -1, Norms.NORMALIZE_EPS);  // (N, E)
        return ContrastiveLoss.siglip(i, t, logitScale, logitBias);           // ()
    }

    @Override
    public boolean needsLogitBias() {
        return true;
    }
}
