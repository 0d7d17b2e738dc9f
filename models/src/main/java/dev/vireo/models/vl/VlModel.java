package dev.vireo.models.vl;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertEmbeddings;
import dev.vireo.models.bert.BertLayer;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.TransformerEncoder;
import dev.vireo.models.clip.VisionTransformer;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.config.VlConfig.LayerKind;
import dev.vireo.models.generate.Decoder;
import dev.vireo.models.generate.ImageTextDecoding;

/**
 * The vision-language transformer (ALBEF, Li et al. 2021; ViLT, Kim et al. 2021): a ViT image
 * side, a BERT text stack whose layers switch from text-only to fusing the image in (cross-attention
 * for mid fusion, attention over the joined sequence for early fusion; {@link VlConfig}), and the
 * heads of its pretraining objectives: contrastive projections with a learnable temperature (ITC),
 * a two-way image-text matching head on the fused [CLS] (ITM; for late fusion a shallow head on the
 * two embeddings), BERT's masked-language-modelling head (MLM), and masked region modelling's
 * mask token, patch-colour head and region classifier (MRM); optionally BLIP's text decoder on the
 * same layers ({@link VlTextDecoder}: language modelling, captioning).
 *
 * <p>Names: {@code vision_model.*} (CLIP's ViT), {@code text_model.embeddings.*} and
 * {@code text_model.encoder.layer.N.*} (Hugging Face BERT's, {@code crossattention} in fusion
 * layers), {@code vision_proj}, {@code text_proj}, {@code logit_scale}, {@code itm_head},
 * {@code mlm_head.transform.dense}, {@code mlm_head.transform.LayerNorm}, {@code mlm_head.decoder},
 * {@code mrm_head.mask_token}, {@code mrm_head.colour}, {@code mrm_head.region}, {@code vqa_head},
 * {@code text_decoder.layer.N} (the decoder's own self-attention).
 */
public final class VlModel extends Module implements ImageTextDecoding {
    private final VlConfig config;
    private final VisionTransformer vision;
    private final TextStack text;
    private final ImageJoin imageJoin;         // early fusion: how patches enter the text stream; else null
    private final Linear visionProjection;     // null for early fusion
    private final Linear textProjection;       // null for early fusion
    private final Parameter logitScale;
    private final Module itmHead;              // Linear on the fused [CLS], or the late-fusion head
    private final MlmHead mlmHead;
    private final MrmHead mrmHead;
    private final AnswerHead answerHead; // null without answers
    private final VlTextDecoder textDecoder; // null without a decoder

    /** HF BERT's {@code embeddings} and {@code encoder.layer}. */
    static final class TextStack extends Module {
        final BertEmbeddings embeddings;
        final ModuleList<BertLayer> layers;

        TextStack(Rng rng, VlConfig c) {
            this.embeddings = child("embeddings", new BertEmbeddings(rng, c.text()));
            ModuleList<BertLayer> list = new ModuleList<>();
            for (int i = 0; i < c.text().layers(); i++) {
                list.add(new BertLayer(rng, c.text(), c.layerKind(i) == LayerKind.CROSS ? c.vision().width() : 0));
            }
            this.layers = child("encoder", new Encoder(list)).layer;
        }
    }

    private static final class Encoder extends Module {
        final ModuleList<BertLayer> layer;

        Encoder(ModuleList<BertLayer> layers) {
            this.layer = child("layer", layers);
        }
    }

    /** Early fusion: image tokens mapped to the text width with a modality-type vector added (ViLT's token type 1). */
    static final class ImageJoin extends Module {
        final Linear projection;
        final Parameter type;

        ImageJoin(Rng rng, int imageWidth, int textWidth) {
            this.projection = child("projection", new Linear(rng, imageWidth, textWidth, true));
            this.type = parameter("type_embedding", Tensor.randn(rng, 0f, 0.02f, textWidth)); // (C)
        }

        Tensor forward(Tensor image) {
            return projection.forward(image).add(type.value()); // (B, S, C)
        }
    }

    /** Late fusion's matching head: an MLP on [v, t, v ⊙ t] of the two normalised embeddings. */
    static final class PairHead extends Module {
        final Linear dense;
        final Linear out;

        PairHead(Rng rng, int embed) {
            this.dense = child("dense", new Linear(rng, 3 * embed, 2 * embed, true));
            this.out = child("out", new Linear(rng, 2 * embed, 2, true));
        }

        Tensor forward(Tensor image, Tensor text) {
            Tensor v = Norms.l2Normalize(image, -1, Norms.NORMALIZE_EPS);   // (B, E)
            Tensor t = Norms.l2Normalize(text, -1, Norms.NORMALIZE_EPS);    // (B, E)
            Tensor joint = ShapeOps.concat(1, v, t, v.mul(t));              // (B, 3E)
            return out.forward(dense.forward(joint, Activation.GELU));      // (B, 2)
        }
    }

    /** BERT's {@code cls.predictions}: dense, GELU, LayerNorm, then the decoder to the vocabulary. */
    static final class MlmHead extends Module {
        final Transform transform;
        final Linear decoder;

        static final class Transform extends Module {
            final Linear dense;
            final LayerNorm norm;

            Transform(Rng rng, int width, float eps) {
                this.dense = child("dense", new Linear(rng, width, width, true));
                this.norm = child("LayerNorm", new LayerNorm(width, eps));
            }
        }

        MlmHead(Rng rng, int width, int vocab, float eps) {
            this.transform = child("transform", new Transform(rng, width, eps));
            this.decoder = child("decoder", new Linear(rng, width, vocab, true));
        }

        Tensor forward(Tensor hidden) {
            Tensor h = transform.norm.forward(transform.dense.forward(hidden, Activation.GELU)); // (N, C)
            return decoder.forward(h);                                                          // (N, V)
        }
    }

    /**
     * Masked region modelling: the token that replaces a masked patch, the mean-colour head (ViLT's
     * masked patch prediction, {@value #COLOUR_BINS} bins) and, when the config has region classes,
     * the region classifier; both read the image positions of the last representation that has them.
     */
    static final class MrmHead extends Module {
        final Parameter maskToken;
        final Linear colour;
        final Linear region; // null without region classes

        MrmHead(Rng rng, int imageWidth, int width, int regionClasses) {
            this.maskToken = parameter("mask_token", Tensor.randn(rng, 0f, 0.02f, imageWidth)); // (Cv)
            this.colour = child("colour", new Linear(rng, width, COLOUR_BINS, true));
            this.region = regionClasses > 0 ? child("region", new Linear(rng, width, regionClasses, true)) : null;
        }
    }

    /** Classes of a patch's mean colour: 8 levels per channel (3 bits each, as ViLT's masked patch prediction). */
    public static final int COLOUR_BINS = 512;

    public VlModel(VlConfig config, long seed) {
        this(config, new Rng(seed));
    }

    public VlModel(VlConfig config, Rng rng) {
        this.config = config;
        int cv = config.vision().width(), c = config.text().hidden(), e = config.embedDim();
        this.vision = child("vision_model", new VisionTransformer(rng, config.vision()));
        this.text = child("text_model", new TextStack(rng, config));
        boolean early = !config.hasUnimodalEmbeddings();
        this.imageJoin = early ? child("image_join", new ImageJoin(rng, cv, c)) : null;
        this.visionProjection = early ? null : child("vision_proj", new Linear(rng, cv, e, true));
        this.textProjection = early ? null : child("text_proj", new Linear(rng, c, e, true));
        this.logitScale = parameter("logit_scale", Tensor.scalar(ClipModel.INIT_LOGIT_SCALE).reshape()); // ()
        this.itmHead = config.fusion().equals("late") ? child("itm_head", new PairHead(rng, e)) : child("itm_head", new Linear(rng, c, 2, true));
        this.mlmHead = child("mlm_head", new MlmHead(rng, c, config.text().vocabSize(), (float) config.text().layerNormEps()));
        this.mrmHead = child("mrm_head", new MrmHead(rng, cv, early ? c : cv, config.regionClasses()));
        this.answerHead = config.answerClasses() > 0 ? child("vqa_head", new AnswerHead(rng, c, config.answerClasses())) : null;
        this.textDecoder = config.decoder() ? child("text_decoder", new VlTextDecoder(rng, config.text(), text.embeddings, text.layers, mlmHead::forward)) : null;
    }

    public VlConfig config() {
        return config;
    }

    /** images (B, 3, S, S), normalised → the image tokens text attends to (B, P+1, Cv), class token first. */
    @Override
    public Tensor imageTokens(Tensor images) {
        return vision.forwardTokens(images); // (B, P+1, Cv)
    }

    /**
     * As {@link #imageTokens(Tensor)} (up to rounding), with the image tower's attention probabilities, each
     * block's (B, H, P+1, P+1), first block first: for explanations.
     */
    public TransformerEncoder.Traced imageTokensWithAttention(Tensor images) {
        return vision.forwardTokensWithAttention(images); // (B, P+1, Cv) and the attention
    }

    /** As {@link #imageTokens(Tensor)} with the patches where patchMask (B, P, 1) is 1 replaced by the learned mask token. */
    public Tensor maskedImageTokens(Tensor images, Tensor patchMask) {
        return vision.forwardTokens(images, patchMask, mrmHead.maskToken.value()); // (B, P+1, Cv)
    }

    /**
     * Token ids (B·T, row-major) through the embeddings and the text-only layers → (B, T, C).
     *
     * @param mask (B, T): 1 for tokens, 0 for padding, or null when no row is padded
     */
    public Tensor textTokens(int[] ids, Tensor mask, int batch, int length) {
        Tensor x = text.embeddings.forward(ids, null, batch, length); // (B, T, C)
        for (int i = 0; i < firstFusionLayer(); i++) x = text.layers.get(i).forward(x, mask, null, null); // (B, T, C)
        return x;
    }

    /**
     * The fusion layers over text tokens (B, T, C) and image tokens (B, S, Cv) → the fused text
     * positions (B, T, C); for early fusion the image positions follow them, (B, T + S, C). Late
     * fusion has no fusion layers and returns the text as it is.
     */
    public Tensor fuse(Tensor textTokens, Tensor mask, Tensor imageTokens) {
        int first = firstFusionLayer(), layers = config.text().layers();
        if (first == layers) return textTokens;
        if (config.layerKind(first) == LayerKind.CROSS) {
            Tensor x = textTokens;
            for (int i = first; i < layers; i++) x = text.layers.get(i).forward(x, mask, imageTokens, null); // (B, T, C)
            return x;
        }
        int b = textTokens.size(0), s = imageTokens.size(1);
        Tensor x = ShapeOps.concat(1, textTokens, imageJoin.forward(imageTokens));                   // (B, T + S, C)
        Tensor jointMask = mask == null ? null : ShapeOps.concat(1, mask, Tensor.ones(b, s));       // (B, T + S)
        for (int i = first; i < layers; i++) x = text.layers.get(i).forward(x, jointMask, null, null); // (B, T + S, C)
        return x;
    }

    /** Image tokens (B, S, Cv) → the unnormalised image embedding (B, E) of the class token. */
    public Tensor imageEmbedding(Tensor imageTokens) {
        requireUnimodal();
        return visionProjection.forward(first(imageTokens)); // (B, E)
    }

    /** Text tokens (B, T, C) from {@link #textTokens} → the unnormalised text embedding (B, E) of [CLS]. */
    public Tensor textEmbedding(Tensor textTokens) {
        requireUnimodal();
        return textProjection.forward(first(textTokens)); // (B, E)
    }

    /**
     * The matching logits (B, 2) (index 1: "the pair matches") of text tokens (B, T, C) and image
     * tokens (B, S, Cv), paired row by row: the ITM head on the fused [CLS], or for late fusion the
     * shallow head on the two embeddings.
     */
    public Tensor matchLogits(Tensor textTokens, Tensor mask, Tensor imageTokens) {
        if (itmHead instanceof PairHead pair) return pair.forward(imageEmbedding(imageTokens), textEmbedding(textTokens)); // (B, 2)
        Tensor fused = fuse(textTokens, mask, imageTokens); // (B, T[+S], C)
        return ((Linear) itmHead).forward(first(fused));    // (B, 2)
    }

    /**
     * The matching logits (M, 2) of text tokens (M, T, C) each paired with image {@code imageRows[m]}
     * of image tokens (B, S, Cv): as {@link #matchLogits(Tensor, Tensor, Tensor)} on the gathered
     * images, but mid fusion computes each image's cross-attention keys and values once, however
     * many texts meet it (ITM's true pairs and hard negatives meet each image up to three times).
     */
    public Tensor matchLogits(Tensor textTokens, Tensor mask, Tensor imageTokens, int[] imageRows) {
        int first = firstFusionLayer(), layers = config.text().layers();
        if (itmHead instanceof PairHead || first == layers || config.layerKind(first) != LayerKind.CROSS) {
            return matchLogits(textTokens, mask, imageTokens.indexSelect(0, imageRows)); // (M, 2)
        }
        Tensor x = textTokens;
        for (int i = first; i < layers; i++) x = text.layers.get(i).forwardGathered(x, mask, imageTokens, imageRows); // (M, T, C)
        return ((Linear) itmHead).forward(first(x)); // (M, 2)
    }

    /**
     * The answer logits (B, A) of questions as text tokens (B, T, C) about images as image tokens
     * (B, S, Cv), row by row: the question answering head on the fused [CLS].
     */
    public Tensor answerLogits(Tensor textTokens, Tensor mask, Tensor imageTokens) {
        if (answerHead == null) throw new IllegalStateException("VL model " + config.name() + " has no question answering head");
        return answerHead.forward(first(fuse(textTokens, mask, imageTokens))); // (B, A)
    }

    @Override
    public int imageSize() {
        return config.vision().imageSize();
    }

    @Override
    public int maxPositions() {
        return config.text().maxPositions();
    }

    /**
     * BLIP's language modelling with the model's text decoder ({@link VlTextDecoder}): next-token
     * logits (R, T, V) of R token rows (ids R·T, [CLS] as the begin token), row r reading image
     * tokens r of (R, S, Cv), causally; recorded for autograd.
     */
    @Override
    public Tensor logits(int[] ids, int rows, int length, Tensor imageTokens) {
        return requireDecoder().logits(ids, rows, length, imageTokens); // (R, T, V)
    }

    /** Decoding with the text decoder over images' tokens (G, S, Cv), rows in G equal groups. */
    @Override
    public Decoder decoder(Tensor imageTokens) {
        return requireDecoder().decoder(imageTokens);
    }

    public boolean hasDecoder() {
        return textDecoder != null;
    }

    /** Fused hidden states of chosen text positions (N, C) → vocabulary logits (N, V). */
    public Tensor mlmLogits(Tensor hidden) {
        return mlmHead.forward(hidden); // (N, V)
    }

    /** Hidden states of image positions (N, W) → mean-colour logits (N, {@value #COLOUR_BINS}). */
    public Tensor patchColourLogits(Tensor hidden) {
        return mrmHead.colour.forward(hidden); // (N, 512)
    }

    /** Hidden states of image positions (N, W) → region class logits (N, regionClasses); only for a config with region classes. */
    public Tensor regionLogits(Tensor hidden) {
        if (mrmHead.region == null) throw new IllegalStateException("VL model " + config.name() + " has no region classes");
        return mrmHead.region.forward(hidden); // (N, classes)
    }

    /** exp(logit scale), clamped as CLIP's: the contrastive temperature's inverse, a one-element tensor. */
    public Tensor scale() {
        return logitScale.value().clamp(Float.NEGATIVE_INFINITY, ClipModel.MAX_LOGIT_SCALE).exp(); // ()
    }

    public Parameter logitScale() {
        return logitScale;
    }

    /** Layer {@code i} of the text stack (what it does: {@link VlConfig#layerKind}). */
    public BertLayer textLayer(int i) {
        return text.layers.get(i);
    }

    /** Index of the first layer that sees the image (= the layer count for late fusion). */
    public int firstFusionLayer() {
        return config.text().layers() - config.fusionLayers();
    }

    private VlTextDecoder requireDecoder() {
        if (textDecoder == null) {
            throw new IllegalStateException("VL model " + config.name() + " has no text decoder (pretrain it with the lm objective to write text)");
        }
        return textDecoder;
    }

    private void requireUnimodal() {
        if (!config.hasUnimodalEmbeddings()) {
            throw new IllegalStateException("VL model " + config.name() + ": early fusion encodes image and text together and has no"
                    + " embedding of either alone (contrastive scores need mid or late fusion)");
        }
    }

    /** x (B, T, C) → x[:, 0] (B, C). */
    private static Tensor first(Tensor x) {
        return x.narrow(1, 0, 1).reshape(x.size(0), x.size(2)); // (B, C)
    }
}
