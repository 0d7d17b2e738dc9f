package dev.vireo.models.vl;

import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertAttention;
import dev.vireo.models.bert.BertEmbeddings;
import dev.vireo.models.bert.BertLayer;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.bert.CachedDecoding;
import dev.vireo.models.bert.KeyValueCache;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.generate.Decoder;

import java.util.function.Function;

/**
 * BLIP's text decoder on the vision-language transformer's own layers (Li et al. 2022: "the text
 * encoder and text decoder share all parameters except for the SA layers"): the text stack's
 * embeddings, cross-attention and MLP sub-layers run causally, each layer with a self-attention of
 * the decoder's own ({@code text_decoder.layer.N}), and the MLM head predicts the next token. Text-only
 * layers stay text-only: the image enters where the encoder's fusion layers take it in. Mid fusion
 * only (early fusion has no separate image sequence to cross-attend to).
 */
final class VlTextDecoder extends Module {
    private final ModuleList<BertAttention> selfAttention;
    private final BertEmbeddings embeddings;
    private final ModuleList<BertLayer> layers;
    private final Function<Tensor, Tensor> head; // hidden (N, C) → logits (N, V)
    private final int vocabSize;

    /** The decoder's own self-attention sub-layers; embeddings, layers and head are the encoder's, shared. */
    VlTextDecoder(Rng rng, BertConfig config, BertEmbeddings embeddings, ModuleList<BertLayer> layers, Function<Tensor, Tensor> head) {
        ModuleList<BertAttention> own = new ModuleList<>();
        for (int i = 0; i < config.layers(); i++) own.add(new BertAttention(rng, config, config.hidden()));
        this.selfAttention = child("layer", own);
        this.embeddings = embeddings;
        this.layers = layers;
        this.head = head;
        this.vocabSize = config.vocabSize();
    }

    /**
     * Teacher forcing: R rows of T tokens (ids row-major, R·T), row r reading image tokens r of
     * (R, S, Cv) → next-token logits (R, T, V), recorded for autograd.
     */
    Tensor logits(int[] ids, int rows, int length, Tensor imageTokens) {
        if (imageTokens.size(0) != rows) throw new IllegalArgumentException("VL decoder: " + imageTokens.size(0) + " images for " + rows + " rows");
        Tensor hidden = forward(ids, rows, length, KeyValueCache.over(layers, imageTokens, null)); // (R, T, C)
        int c = hidden.size(2);
        return head.apply(hidden.reshape(rows * length, c)).reshape(rows, length, vocabSize);   // (R, T, V)
    }

    /** Decoding over images' tokens (G, S, Cv): rows in G equal groups, group g reading image g. */
    Decoder decoder(Tensor imageTokens) {
        return new CachedDecoding(vocabSize, () -> KeyValueCache.over(layers, imageTokens, null), this::forward, head::apply, "VL decoder");
    }

    /** The last hidden states (R, t, C) of t new tokens per row after the cache's P, whose keys and values it appends. */
    private Tensor forward(int[] ids, int rows, int length, KeyValueCache cache) {
        return BertModel.decodeCached(embeddings, layers, selfAttention, ids, rows, length, cache); // (R, t, C)
    }
}
