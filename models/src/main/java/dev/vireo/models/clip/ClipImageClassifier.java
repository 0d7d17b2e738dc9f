package dev.vireo.models.clip;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.VisionConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CLIP image tower with a classification head, the model WiSE-FT (Wortsman et al. 2022) fine-tunes:
 * images → {@code visual_projection(vision_model(x))}, L2-normalised, → {@code head} (K classes, with
 * bias). {@link #zeroShot} starts the head as the zero-shot classifier: its rows are the class-prompt
 * text embeddings times exp(logit scale) and its bias is zero, so before any training its logits are
 * CLIP's zero-shot logits. The text tower is not part of it. State-dict names are the CLIP model's
 * ({@code vision_model.*}, {@code visual_projection.weight}) plus {@code head.weight}, {@code head.bias}.
 */
public final class ClipImageClassifier extends Module {
    private final VisionConfig vision;
    private final int embedDim;
    private final VisionTransformer tower;
    private final Linear visualProjection;
    private final Linear head;

    /**
     * A classifier with fresh weights: the tower and projection drawn from {@code rng} as CLIP draws them, the head
     * zero (uniform predictions). {@link #zeroShot} fills them from a CLIP model instead.
     */
    public ClipImageClassifier(VisionConfig vision, int embedDim, int classes, Rng rng) {
        if (classes < 1) throw new IllegalArgumentException("classifier: at least one class is needed, got " + classes);
        this.vision = vision;
        this.embedDim = embedDim;
        this.tower = child("vision_model", new VisionTransformer(rng, vision));
        this.visualProjection = child("visual_projection", new Linear(
                Tensor.randn(rng, 0f, (float) Math.pow(vision.width(), -0.5), embedDim, vision.width()), null));
        this.head = child("head", new Linear(Tensor.zeros(classes, embedDim), Tensor.zeros(classes)));
    }

    /**
     * The zero-shot classifier of {@code clip}: its image tower and projection copied, and a head whose
     * rows are {@code classEmbeddings} (C, E), unit rows (prompt ensembles averaged and normalised, as
     * {@code ClipEvaluator.classEmbeddings} makes them), times exp(logit scale).
     */
    public static ClipImageClassifier zeroShot(ClipModel clip, float[] classEmbeddings, int classes) {
        int e = clip.config().embedDim();
        if (classEmbeddings.length != (long) classes * e) {
            throw new IllegalArgumentException("classifier: " + classEmbeddings.length + " class-embedding values for " + classes + " classes of "
                    + e + " dimensions");
        }
        ClipImageClassifier c = new ClipImageClassifier(clip.config().vision(), e, classes, Rng.forLoadedWeights());
        Map<String, Tensor> imageSide = new LinkedHashMap<>();
        clip.namedParameters().forEach((name, p) -> {
            if (name.startsWith("vision_model.") || name.startsWith("visual_projection.")) imageSide.put(name, p.value());
        });
        c.loadStateDict(imageSide, false, true);
        float scale = clip.scale().item();
        float[] w = new float[classes * e]; // (C, E)
        for (int i = 0; i < w.length; i++) w[i] = classEmbeddings[i] * scale;
        c.head.weight().copyFrom("head.weight", Tensor.of(w, classes, e));
        return c;
    }

    /** A fresh classifier of the same shape as {@code other}, with its weights copied (for interpolation). */
    public static ClipImageClassifier sameShapeAs(ClipImageClassifier other) {
        ClipImageClassifier c = new ClipImageClassifier(other.vision, other.embedDim, other.classes(), Rng.forLoadedWeights());
        c.loadStateDict(other.stateDict(), true, true);
        return c;
    }

    /** images (B, 3, S, S), normalised → class logits (B, K). */
    public Tensor forward(Tensor images) {
        Tensor features = visualProjection.forward(tower.forward(images));      // (B, E)
        Tensor unit = Norms.l2Normalize(features, -1, Norms.NORMALIZE_EPS);     // (B, E)
        return head.forward(unit);                                              // (B, K)
    }

    /** The head's weight (K, E) and bias (K). */
    public Parameter headWeight() {
        return head.weight();
    }

    public Parameter headBias() {
        return head.bias();
    }

    public int classes() {
        return head.outFeatures();
    }

    public int embedDim() {
        return embedDim;
    }

    public VisionConfig visionConfig() {
        return vision;
    }
}
