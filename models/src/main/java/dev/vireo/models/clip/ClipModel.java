package dev.vireo.models.clip;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.ClipConfig;

/**
 * CLIP (Radford et al. 2021): an image tower and a text tower projected into one E-dimensional
 * space, with a learnable temperature. State-dict names match Hugging Face's {@code CLIPModel}
 * ({@code vision_model.*}, {@code text_model.*}, {@code visual_projection.weight},
 * {@code text_projection.weight}, {@code logit_scale}). A config with {@link ClipConfig#logitBias()}
 * adds SigLIP's learnable logit bias, {@value #LOGIT_BIAS}, which Hugging Face's CLIPModel does not have.
 */
public final class ClipModel extends Module {
    /** ln(1/0.07): CLIP's initial temperature. */
    public static final float INIT_LOGIT_SCALE = (float) Math.log(1 / 0.07);
    /** ln(100): the logit scale is clamped here so logits stay bounded. */
    public static final float MAX_LOGIT_SCALE = (float) Math.log(100);
    /** The state-dict name of the logit bias (the name Vireo's checkpoints have always kept it under). */
    public static final String LOGIT_BIAS = "siglip.logit_bias";

    private final ClipConfig config;
    private final VisionTransformer vision;
    private final TextTransformer text;
    private final Linear visualProjection;
    private final Linear textProjection;
    private final Parameter logitScale;
    private final Parameter logitBias; // null without one

    public ClipModel(ClipConfig config, long seed) {
        this(config, new Rng(seed));
    }

    /** Initial weights drawn from {@code rng}, or zeros from {@link Rng#forLoadedWeights()} for a model that is then loaded whole. */
    public ClipModel(ClipConfig config, Rng rng) {
        this.config = config;
        this.vision = child("vision_model", new VisionTransformer(rng, config.vision()));
        this.text = child("text_model", new TextTransformer(rng, config.text()));
        int e = config.embedDim();
        this.visualProjection = child("visual_projection", new Linear(
                Tensor.randn(rng, 0f, (float) Math.pow(config.vision().width(), -0.5), e, config.vision().width()), null));
        this.textProjection = child("text_projection", new Linear(
                Tensor.randn(rng, 0f, (float) Math.pow(config.text().width(), -0.5), e, config.text().width()), null));
        this.logitScale = parameter("logit_scale", Tensor.scalar(INIT_LOGIT_SCALE).reshape());
        // registered last, so it comes after every other parameter, where the trainer has always put it
        this.logitBias = config.logitBias() ? child("siglip", new LogitBias()).bias : null;
    }

    /** Holds the bias under {@value #LOGIT_BIAS}. */
    private static final class LogitBias extends Module {
        final Parameter bias = parameter("logit_bias", Tensor.full(SigLipLoss.INIT_LOGIT_BIAS).reshape()); // ()
    }

    /** images (B, 3, S, S) → unnormalised image features (B, E). */
    public Tensor encodeImage(Tensor images) {
        return visualProjection.forward(vision.forward(images)); // (B, E)
    }

    /** token ids (B, T) → unnormalised text features (B, E). */
    public Tensor encodeText(int[] ids, int batch, int length) {
        return textProjection.forward(text.forward(ids, batch, length)); // (B, E)
    }

    /** Cosine similarities scaled by exp(logit scale): (B_img, E), (B_txt, E) → (B_img, B_txt). */
    public Tensor logits(Tensor imageFeatures, Tensor textFeatures) {
        Tensor i = Norms.l2Normalize(imageFeatures, -1, Norms.NORMALIZE_EPS); // (Bi, E)
        Tensor t = Norms.l2Normalize(textFeatures, -1, Norms.NORMALIZE_EPS);  // (Bt, E)
        return i.matmul(t.transpose(0, 1)).mul(scale());                      // (Bi, Bt)
    }

    /** exp(logit scale) as a (clamped) one-element tensor that carries the temperature's gradient. */
    public Tensor scale() {
        return logitScale.value().clamp(Float.NEGATIVE_INFINITY, MAX_LOGIT_SCALE).exp(); // ()
    }

    public Parameter logitScale() {
        return logitScale;
    }

    /** SigLIP's learnable logit bias b, or null when the config has none. */
    public Parameter logitBias() {
        return logitBias;
    }

    /** Freezes the image tower and its projection (locked-image tuning, Zhai et al. 2022). */
    public ClipModel lockImageTower() {
        vision.freeze();
        visualProjection.freeze();
        return this;
    }

    /** Freezes the text tower and its projection. */
    public ClipModel lockTextTower() {
        text.freeze();
        textProjection.freeze();
        return this;
    }

    public ClipConfig config() {
        return config;
    }

    public VisionTransformer vision() {
        return vision;
    }

    public TextTransformer text() {
        return text;
    }
}
