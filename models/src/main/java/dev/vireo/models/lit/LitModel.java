package dev.vireo.models.lit;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.VisionTransformer;
import dev.vireo.models.config.LitConfig;

/**
 * LiT with the text side locked (Zhai et al. 2022): a ViT image tower trained from scratch and a
 * projection on each side into one E-dimensional space, with CLIP's learnable temperature. The text
 * tower itself is not part of this module: its frozen sentence vectors (B, W) come from a
 * {@link LockedTextTower}. The text projection starts semi-orthogonal (orthonormal rows), so at
 * step 0 it keeps the cosines between sentence vectors that the pretrained tower learned.
 * State-dict names follow {@link ClipModel}'s ({@code vision_model.*}, {@code visual_projection.weight},
 * {@code text_projection.weight}, {@code logit_scale}).
 */
public final class LitModel extends Module {
    private final LitConfig config;
    private final VisionTransformer vision;
    private final Linear visualProjection;
    private final Linear textProjection;
    private final Parameter logitScale;

    public LitModel(LitConfig config, long seed) {
        Rng rng = new Rng(seed);
        this.config = config;
        int e = config.embedDim(), w = config.vision().width();
        this.vision = child("vision_model", new VisionTransformer(rng, config.vision()));
        this.visualProjection = child("visual_projection", new Linear(Tensor.randn(rng, 0f, (float) Math.pow(w, -0.5), e, w), null));
        this.textProjection = child("text_projection", new Linear(orthonormalRows(rng, e, config.textWidth()), null));
        this.logitScale = parameter("logit_scale", Tensor.scalar(ClipModel.INIT_LOGIT_SCALE).reshape());
    }

    /** A random (rows, cols) matrix with orthonormal rows (Gram–Schmidt of Gaussian rows), rows ≤ cols. */
    static Tensor orthonormalRows(Rng rng, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) m[r][c] = rng.nextGaussian();
            for (int q = 0; q < r; q++) { // twice is enough to stay orthogonal in float precision
                for (int pass = 0; pass < 2; pass++) {
                    double dot = 0;
                    for (int c = 0; c < cols; c++) dot += m[r][c] * m[q][c];
                    for (int c = 0; c < cols; c++) m[r][c] -= dot * m[q][c];
                }
            }
            double norm = 0;
            for (int c = 0; c < cols; c++) norm += m[r][c] * m[r][c];
            double inv = 1 / Math.sqrt(norm);
            for (int c = 0; c < cols; c++) m[r][c] *= inv;
        }
        float[] out = new float[rows * cols]; // (E, W)
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out[r * cols + c] = (float) m[r][c];
        return Tensor.of(out, rows, cols); // (E, W)
    }

    /** images (B, 3, S, S) → unnormalised image features (B, E). */
    public Tensor encodeImage(Tensor images) {
        return visualProjection.forward(vision.forward(images)); // (B, E)
    }

    /** frozen sentence vectors (B, W) → unnormalised text features (B, E). */
    public Tensor encodeText(Tensor sentenceVectors) {
        if (sentenceVectors.rank() != 2 || sentenceVectors.size(1) != config.textWidth()) {
            throw new IllegalArgumentException("LiT text projection: expects sentence vectors (B, " + config.textWidth() + ")");
        }
        return textProjection.forward(sentenceVectors); // (B, E)
    }

    /** Cosine similarities scaled by exp(logit scale): (B_img, E), (B_txt, E) → (B_img, B_txt). */
    public Tensor logits(Tensor imageFeatures, Tensor textFeatures) {
        Tensor i = Norms.l2Normalize(imageFeatures, -1, Norms.NORMALIZE_EPS); // (Bi, E)
        Tensor t = Norms.l2Normalize(textFeatures, -1, Norms.NORMALIZE_EPS);  // (Bt, E)
        return i.matmul(t.transpose(0, 1)).mul(logitScale.value().exp());    // (Bi, Bt)
    }

    public Parameter logitScale() {
        return logitScale;
    }

    public Linear textProjection() {
        return textProjection;
    }

    public LitConfig config() {
        return config;
    }
}
