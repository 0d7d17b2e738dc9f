package dev.vireo.models.eval;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.lit.LitModel;
import dev.vireo.models.lit.LockedTextTower;
import dev.vireo.models.train.ImageTextData;

import java.util.List;

/**
 * Evaluates a locked-text model as {@link ClipEvaluator} does a CLIP: image embeddings in batches
 * without gradients, texts through the locked tower (cached) and the text projection, zero-shot
 * accuracy with prompts averaged per class.
 */
public final class LitEvaluator {
    private final LitModel model;
    private final LockedTextTower tower;

    public LitEvaluator(LitModel model, LockedTextTower tower) {
        this.model = model;
        this.tower = tower;
    }

    /** L2-normalised image embeddings, row-major (N, E). */
    public float[] imageEmbeddings(ImageTextData data) {
        return ClipEvaluator.imageEmbeddings(data, model.config().embedDim(), model::encodeImage);
    }

    /** L2-normalised text embeddings, row-major (M, E). */
    public float[] textEmbeddings(List<String> texts) {
        try (var ignored = GradMode.noGrad()) {
            Tensor f = model.encodeText(tower.vectors(texts));                  // (M, E)
            return Norms.l2Normalize(f, -1, Norms.NORMALIZE_EPS).toArray();      // (M, E)
        }
    }

    /** Zero-shot top-1 and top-5 accuracy with an explicit prompt ensemble per class. */
    public double[] zeroShot(float[] imageEmbeddings, int images, List<List<String>> promptsPerClass, int[] labels) {
        int e = model.config().embedDim();
        float[] classes = ClipEvaluator.classEmbeddings(promptsPerClass, e, this::textEmbeddings); // (C, E)
        return ClipEvaluator.zeroShot(imageEmbeddings, images, classes, promptsPerClass.size(), e, labels);
    }
}
