package dev.vireo.models.coca;

import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertEmbeddings;
import dev.vireo.models.bert.BertLayer;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.bert.CachedDecoding;
import dev.vireo.models.bert.KeyValueCache;
import dev.vireo.models.caption.MaskedLmHead;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.generate.Decoder;

/**
 * CoCa's text side: BERT embeddings (word + position, LayerNorm), then causal BERT layers of which
 * the first {@code unimodalLayers} read the text alone and the rest also cross-attend to the caption
 * queries' outputs, then the LM head tied to the word embeddings. For the contrastive side a learned
 * token, {@code cls_emb}, takes the place of each caption's end token ([SEP]): under causal attention
 * it reads the whole caption and nothing after it, and no caption position reads it, so the
 * captioning logits before it are those of the text without it (the end token's own prediction,
 * of the padding after it, is never trained). Its state after the unimodal layers is the text's
 * summary. Every layer runs through {@link BertLayer#forwardCached}, which records autograd, over
 * one {@link KeyValueCache} of all the layers.
 */
public final class CocaTextDecoder extends Module {
    private final BertEmbeddings embeddings;
    private final ModuleList<BertLayer> layers;
    private final Parameter clsEmbedding;
    private final MaskedLmHead head;
    private final int unimodalLayers;
    private final int vocabSize;

    /** Teacher-forced states: the last layer's (R, T, C) and the [CLS]-like token's after the unimodal layers (R, C), or null. */
    public record States(Tensor hidden, Tensor cls) {}

    public CocaTextDecoder(Rng rng, CocaConfig config) {
        this.embeddings = child("embeddings", new BertEmbeddings(rng, config.text()));
        ModuleList<BertLayer> list = new ModuleList<>();
        for (int i = 0; i < config.text().layers(); i++) {
            list.add(new BertLayer(rng, config.text(), i < config.unimodalLayers() ? 0 : config.vision().width()));
        }
        this.layers = child("layers", list);
        this.clsEmbedding = parameter("cls_emb", Tensor.randn(rng, 0f, 0.02f, config.text().hidden())); // (C)
        this.head = child("lm_head", new MaskedLmHead(rng, config.text()));
        this.unimodalLayers = config.unimodalLayers();
        this.vocabSize = config.text().vocabSize();
    }

    /**
     * Teacher forcing over R rows of T tokens (ids row-major; right padding is harmless under causal
     * attention), row r cross-attending to caption tokens r of (R, N, Cv) in the multimodal layers,
     * or stopping after the unimodal layers when captionTokens is null. With {@code ends} (the
     * position of each row's end token) the [CLS]-like token replaces it and its state is returned.
     */
    public States forward(int[] ids, int rows, int length, Tensor captionTokens, int[] ends) {
        if (ids.length != rows * length) throw new IllegalArgumentException("coca text: " + ids.length + " token ids for " + rows + " x " + length);
        if (captionTokens != null && captionTokens.size(0) != rows) {
            throw new IllegalArgumentException("coca text: " + captionTokens.size(0) + " images for " + rows + " rows");
        }
        KeyValueCache cache = KeyValueCache.over(layers, captionTokens, null);
        Tensor x = embeddings.forward(ids, null, rows, length); // (R, T, C)
        int c = x.size(2);
        if (ends != null) {
            float[] at = new float[rows * length];                  // 1 at each row's end token
            for (int r = 0; r < rows; r++) at[r * length + ends[r]] = 1f;
            Tensor mask = Tensor.of(at, rows, length, 1);           // (R, T, 1)
            x = x.mul(mask.neg().add(1f)).add(mask.mul(clsEmbedding.value())); // (R, T, C): the end token becomes cls_emb
        }
        for (int i = 0; i < unimodalLayers; i++) x = layers.get(i).forwardCached(x, cache, i); // (R, T, C)
        Tensor cls = null; // (R, C) when asked for
        if (ends != null) {
            int[] flat = new int[rows];
            for (int r = 0; r < rows; r++) flat[r] = r * length + ends[r];
            cls = x.reshape(rows * length, c).indexSelect(0, flat); // (R, C)
        }
        if (captionTokens == null) return new States(null, cls);
        for (int i = unimodalLayers; i < layers.size(); i++) x = layers.get(i).forwardCached(x, cache, i); // (R, T, C)
        return new States(x, cls);
    }

    /** hidden (..., C) → next-token logits (..., V) against the tied word embeddings. */
    public Tensor logits(Tensor hidden) {
        return head.forward(hidden, embeddings.wordEmbeddings().weight().value()); // (..., V)
    }

    /** Each row's end-token position in ids (R·T): its first {@code endId} after the begin token, or T − 1 when it has none. */
    public static int[] ends(int[] ids, int rows, int length, int endId) {
        int[] ends = new int[rows];
        for (int r = 0; r < rows; r++) {
            ends[r] = length - 1;
            for (int t = 1; t < length; t++) {
                if (ids[r * length + t] == endId) {
                    ends[r] = t;
                    break;
                }
            }
        }
        return ends;
    }

    /** Decoding over caption tokens (G, N, Cv): rows come in G equal groups, group g reading image g. */
    public Decoder decoder(Tensor captionTokens) {
        return new CachedDecoding(vocabSize, () -> KeyValueCache.over(layers, captionTokens, null), // the multimodal layers' keys and values, once
                (ids, rows, t, cache) -> BertModel.decodeCached(embeddings, layers, null, ids, rows, t, cache), this::logits, "coca text");
    }
}
