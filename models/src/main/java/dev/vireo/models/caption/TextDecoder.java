package dev.vireo.models.caption;

import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertAttention;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.bert.CachedDecoding;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.generate.Decoder;

/**
 * An image-grounded text decoder with HF's {@code BlipTextLMHeadModel} names: {@code bert} (BERT
 * layers with causal self-attention, cross-attention to the image tokens, MLP; no token types, no
 * pooler) and {@code cls} ({@link MaskedLmHead}, tied to the word embeddings). {@link #decoder}
 * gives a {@link Decoder} over a batch of images: each image's cross-attention keys and values are
 * computed once and read by all its rows (its beams).
 */
public final class TextDecoder extends Module {
    private final BertModel bert;
    private final MaskedLmHead cls;

    /** A decoder whose layers cross-attend to image states of {@code imageWidth} features. */
    public TextDecoder(Rng rng, BertConfig config, int imageWidth) {
        if (config.typeVocabSize() != 0 || config.pooler()) {
            throw new IllegalArgumentException("text decoder: the config must have no token types and no pooler");
        }
        this.bert = child("bert", new BertModel(rng, config, imageWidth));
        this.cls = child("cls", new MaskedLmHead(rng, config));
    }

    public BertConfig config() {
        return bert.config();
    }

    /**
     * Teacher forcing: R rows of T tokens (ids row-major, R·T; right padding is harmless, as causal
     * attention never lets a token see what follows it), row r cross-attending to image r of
     * images (R, S, Cv) → the last hidden states (R, T, C), recorded for autograd.
     */
    public Tensor forward(int[] ids, int rows, int length, Tensor images) {
        return forward(ids, rows, length, images, null); // (R, T, C)
    }

    /**
     * As above over a context of unequal sequences (R, S, Cc), such as the fused states of padded
     * questions (BLIP's answer decoder): contextMask (R, S), 1 for positions to read and 0 for
     * padding, or null. A row's states then do not depend on how its context was padded.
     */
    public Tensor forward(int[] ids, int rows, int length, Tensor context, Tensor contextMask) {
        if (context.size(0) != rows) throw new IllegalArgumentException("text decoder: " + context.size(0) + " contexts for " + rows + " rows");
        return bert.forwardCached(ids, rows, length, bert.newCache(context, contextMask)); // (R, T, C)
    }

    /** hidden (..., C) → next-token logits (..., V). */
    public Tensor logits(Tensor hidden) {
        return cls.forward(hidden, bert.embeddings().wordEmbeddings().weight().value()); // (..., V)
    }

    /** The cross-attention sub-layer of decoder layer {@code layer} (what grounding and probes read). */
    public BertAttention crossAttention(int layer) {
        return bert.layer(layer).crossAttention();
    }

    /**
     * Decoding over images (G, S, Cv): the rows come in G equal groups, rows of group g reading image
     * g; a prompt prefilled with one row per image, then copied into beams, keeps that order.
     */
    public Decoder decoder(Tensor images) {
        return decoder(images, null);
    }

    /** As {@link #decoder(Tensor)} over contexts (G, S, Cc) of unequal sequences, contextMask (G, S) marking what to read (null: all). */
    public Decoder decoder(Tensor context, Tensor contextMask) {
        return new CachedDecoding(bert.config().vocabSize(), () -> bert.newCache(context, contextMask), bert::forwardCached, this::logits,
                "text decoder");
    }
}
