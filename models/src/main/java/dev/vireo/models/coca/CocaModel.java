package dev.vireo.models.coca;

import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.VisionTransformer;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.generate.Decoder;
import dev.vireo.models.generate.ImageTextDecoding;

/**
 * A CoCa-style model (Yu et al. 2022; {@link CocaConfig}): one ViT, whose tokens an
 * {@link AttentionalPooler} reads with 1 + N queries. The first query's output, projected, is the
 * contrastive image embedding; the other N are what the decoder's multimodal layers cross-attend to
 * (the image tokens of {@link ImageTextDecoding}). The text embedding is the state of a learned
 * [CLS]-like token after each caption, through the decoder's unimodal layers, a LayerNorm and a
 * projection ({@link CocaTextDecoder}). CLIP's learnable logit scale joins the two. Names follow
 * open_clip's CoCa where a part has one there ({@code visual}, {@code attn_pool}, {@code text},
 * {@code cls_emb}, {@code logit_scale}).
 */
public final class CocaModel extends Module implements ImageTextDecoding {
    private final CocaConfig config;
    private final VisionTransformer vision;
    private final AttentionalPooler pooler;
    private final Linear imageProjection;
    private final CocaTextDecoder text;
    private final LayerNorm textNorm;
    private final Linear textProjection;
    private final Parameter logitScale;

    /** A batch's image side: the contrastive features (B, E) and the caption queries' outputs (B, N, Cv). */
    public record ImageSide(Tensor features, Tensor captionTokens) {}

    /** One teacher-forced pass of both objectives: image and text features (B, E) each, next-token logits (B, T, V). */
    public record Outputs(Tensor imageFeatures, Tensor textFeatures, Tensor logits) {}

    public CocaModel(CocaConfig config, long seed) {
        this(config, new Rng(seed));
    }

    public CocaModel(CocaConfig config, Rng rng) {
        this.config = config;
        int cv = config.vision().width(), c = config.text().hidden();
        this.vision = child("visual", new VisionTransformer(rng, config.vision()));
        this.pooler = child("attn_pool", new AttentionalPooler(rng, cv, config.poolerHeads(), 1 + config.captionQueries()));
        this.imageProjection = child("image_projection", new Linear(rng, cv, config.embedDim(), false));
        this.text = child("text", new CocaTextDecoder(rng, config));
        this.textNorm = child("ln_final", new LayerNorm(c));
        this.textProjection = child("text_projection", new Linear(rng, c, config.embedDim(), false));
        this.logitScale = parameter("logit_scale", Tensor.scalar(ClipModel.INIT_LOGIT_SCALE).reshape()); // ()
    }

    public CocaConfig config() {
        return config;
    }

    /** t, the learnable log inverse temperature of the contrastive loss (logits = exp(t)·cos). */
    public Parameter logitScale() {
        return logitScale;
    }

    @Override
    public int imageSize() {
        return config.vision().imageSize();
    }

    @Override
    public int maxPositions() {
        return config.text().maxPositions();
    }

    /** images (B, 3, S, S), normalised → both uses of the pooled image, from one pass of the ViT. */
    public ImageSide encode(Tensor images) {
        Tensor tokens = vision.forwardTokens(images);                 // (B, P+1, Cv)
        Tensor pooled = pooler.forward(tokens);                       // (B, 1+N, Cv)
        int b = pooled.size(0), cv = pooled.size(2), n = config.captionQueries();
        Tensor contrastive = pooled.narrow(1, 0, 1).reshape(b, cv);   // (B, Cv)
        Tensor captionTokens = pooled.narrow(1, 1, n);                // (B, N, Cv)
        return new ImageSide(imageProjection.forward(contrastive), captionTokens); // (B, E), (B, N, Cv)
    }

    /** images (B, 3, S, S) → contrastive image features (B, E), not normalised. */
    public Tensor encodeImage(Tensor images) {
        return encode(images).features(); // (B, E)
    }

    /** Token rows (ids B·T, each [CLS] text [SEP], right padding) → contrastive text features (B, E), not normalised. */
    public Tensor encodeText(int[] ids, int rows, int length, int endId) {
        int[] ends = CocaTextDecoder.ends(ids, rows, length, endId);
        Tensor cls = text.forward(ids, rows, length, null, ends).cls(); // (B, C)
        return textProjection.forward(textNorm.forward(cls));           // (B, E)
    }

    /** Both objectives' outputs for B images and their B captions (ids B·T, row r about image r), one pass of each tower. */
    public Outputs forward(Tensor images, int[] ids, int rows, int length, int endId) {
        ImageSide image = encode(images);                                                     // (B, E), (B, N, Cv)
        int[] ends = CocaTextDecoder.ends(ids, rows, length, endId);
        CocaTextDecoder.States states = text.forward(ids, rows, length, image.captionTokens(), ends); // (B, T, C), (B, C)
        Tensor textFeatures = textProjection.forward(textNorm.forward(states.cls()));          // (B, E)
        return new Outputs(image.features(), textFeatures, text.logits(states.hidden()));      // (B, E), (B, E), (B, T, V)
    }

    /** images (B, 3, S, S) → the caption queries' outputs (B, N, Cv), what the multimodal layers read. */
    @Override
    public Tensor imageTokens(Tensor images) {
        return encode(images).captionTokens(); // (B, N, Cv)
    }

    /** Teacher-forced next-token logits (R, T, V) of R token rows (ids R·T), row r reading caption tokens r of (R, N, Cv). */
    @Override
    public Tensor logits(int[] ids, int rows, int length, Tensor imageTokens) {
        return text.logits(text.forward(ids, rows, length, imageTokens, null).hidden()); // (R, T, V)
    }

    @Override
    public Decoder decoder(Tensor imageTokens) {
        return text.decoder(imageTokens);
    }
}
