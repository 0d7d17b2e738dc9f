package dev.vireo.models.bert;

import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;

/**
 * A BERT encoder with Hugging Face {@code BertModel}'s state-dict names ({@code embeddings.*},
 * {@code encoder.layer.N.*}, {@code pooler.dense.*}): token ids and an attention mask in, the last
 * hidden state out, and the pooled first token (tanh(dense(h[:, 0]))) when the config has a pooler.
 */
public final class BertModel extends Module {
    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final ModuleList<BertLayer> layers;
    private final Pooler pooler;

    /** HF's {@code encoder} holds the layers as {@code layer}. */
    private static final class Encoder extends Module {
        final ModuleList<BertLayer> layer;

        Encoder(ModuleList<BertLayer> layers) {
            this.layer = child("layer", layers);
        }
    }

    /** HF's {@code pooler.dense}. */
    private static final class Pooler extends Module {
        final Linear dense;

        Pooler(Rng rng, int width) {
            this.dense = child("dense", new Linear(rng, width, width, true));
        }
    }

    /** A text-only encoder. */
    public BertModel(Rng rng, BertConfig config) {
        this(rng, config, 0);
    }

    /** An encoder whose every layer cross-attends to a sequence of {@code crossWidth} features (0: none). */
    public BertModel(Rng rng, BertConfig config, int crossWidth) {
        this.config = config;
        this.embeddings = child("embeddings", new BertEmbeddings(rng, config));
        ModuleList<BertLayer> list = new ModuleList<>();
        for (int i = 0; i < config.layers(); i++) list.add(new BertLayer(rng, config, crossWidth));
        this.layers = child("encoder", new Encoder(list)).layer;
        this.pooler = config.pooler() ? child("pooler", new Pooler(rng, config.hidden())) : null;
    }

    public BertConfig config() {
        return config;
    }

    /**
     * The last hidden state (B, T, C) of ids (B·T, row-major).
     *
     * @param typeIds token types (B·T), or null for all zeros
     * @param mask    (B, T): 1 for tokens, 0 for padding, or null when no row is padded
     */
    public Tensor forward(int[] ids, int[] typeIds, Tensor mask, int batch, int length) {
        return forward(ids, typeIds, mask, batch, length, null, null);
    }

    /**
     * As {@link #forward(int[], int[], Tensor, int, int)}, each layer cross-attending to context
     * (B, S, Cc) under contextMask (B, S). With padding in {@code mask}, the layers run on the real
     * tokens alone ({@link TokenPacking}) and the padded positions of the result are zeros.
     */
    public Tensor forward(int[] ids, int[] typeIds, Tensor mask, int batch, int length, Tensor context, Tensor contextMask) {
        if (context == null && layers.size() > 0 && layers.get(0).hasCrossAttention()) {
            throw new IllegalArgumentException("BERT: this model has cross-attention and needs a context sequence (forwardTextOnly runs the text alone)");
        }
        return run(ids, typeIds, mask, batch, length, context, contextMask);
    }

    /**
     * The last hidden state (B, T, C) of the text alone, every layer skipping its cross-attention: what
     * HF's BERT and BLIP's text encoder compute when called without {@code encoder_hidden_states}
     * (BLIP's unimodal text features). The same as {@link #forward(int[], int[], Tensor, int, int)}
     * for an encoder without cross-attention.
     */
    public Tensor forwardTextOnly(int[] ids, int[] typeIds, Tensor mask, int batch, int length) {
        return run(ids, typeIds, mask, batch, length, null, null);
    }

    /**
     * As {@link #forward(int[], int[], Tensor, int, int, Tensor, Tensor)}, but every position is
     * computed as HF computes it, padding included: a padded position is hidden as a key, yet its own
     * query still attends to the row's tokens, so its state is not zero. For a caller that reads the
     * padded states afterwards, as BLIP's VQA decoder cross-attends to every question position.
     */
    public Tensor forwardEveryPosition(int[] ids, int[] typeIds, Tensor mask, int batch, int length, Tensor context, Tensor contextMask) {
        if (ids.length != batch * length) {
            throw new IllegalArgumentException("BERT: " + ids.length + " token ids for a batch of " + batch + " x " + length);
        }
        Tensor x = embeddings.forward(ids, typeIds, batch, length); // (B, T, C)
        for (BertLayer layer : layers) {
            Tensor y = layer.forward(x, mask, null, context, contextMask, true); // (B, T, C)
            if (!y.requiresGrad()) BufferPool.recycle(x);
            x = y;
        }
        return x;
    }

    /** The encoder over ids; a layer with cross-attention skips it when {@code context} is null. */
    private Tensor run(int[] ids, int[] typeIds, Tensor mask, int batch, int length, Tensor context, Tensor contextMask) {
        if (ids.length != batch * length) {
            throw new IllegalArgumentException("BERT: " + ids.length + " token ids for a batch of " + batch + " x " + length);
        }
        TokenPacking packing = TokenPacking.of(mask, batch, length);
        Tensor x = packing == null
                ? embeddings.forward(ids, typeIds, batch, length)                         // (B, T, C)
                : embeddings.forward(packing.pack(ids), typeIds == null ? null : packing.pack(typeIds),
                        packing.positions(), 1, packing.rows());                          // (1, N, C)
        for (BertLayer layer : layers) {
            Tensor y = layer.forward(x, mask, packing, context, contextMask, true); // (B, T, C), or (1, N, C) packed
            if (!y.requiresGrad()) BufferPool.recycle(x);
            x = y;
        }
        return packing == null ? x : packing.unpack(x); // (B, T, C)
    }

    /**
     * An empty cache for decoding with this model as a causal decoder (HF's BERT with
     * {@code is_decoder}), its layers' cross-attention reading {@code context} (G, S, Cc): the
     * context's keys and values are computed here, once. A null context: no cross-attention.
     */
    public KeyValueCache newCache(Tensor context) {
        return newCache(context, null);
    }

    /** As {@link #newCache(Tensor)} over a context of unequal sequences: contextMask (G, S), 1 to read, 0 for padding; or null. */
    public KeyValueCache newCache(Tensor context, Tensor contextMask) {
        if (context != null) {
            for (int i = 0; i < layers.size(); i++) {
                if (!layers.get(i).hasCrossAttention()) throw new IllegalArgumentException("BERT decoder: layer " + i + " has no cross-attention for the context");
            }
        }
        return KeyValueCache.over(layers, context, contextMask);
    }

    /**
     * The causal decoder's last hidden state (R, t, C) of t new tokens per row (ids row-major, R·t),
     * at positions P..P+t-1 after the cache's P tokens, whose keys and values it appends: the whole
     * prompt first (from an empty cache), then one token per step. No token types, no padding.
     */
    public Tensor forwardCached(int[] ids, int rows, int length, KeyValueCache cache) {
        return decodeCached(embeddings, layers, null, ids, rows, length, cache);
    }

    /**
     * What {@link #forwardCached} does, for any decoder built of BERT layers: t new tokens per row
     * (ids R·t) embedded at positions P..P+t-1 after the cache's P tokens, through {@code layers}
     * causally (layer i with {@code selfAttention.get(i)} in place of its own when that list is given,
     * as BLIP's decoder on its encoder's layers), their keys and values appended → (R, t, C).
     */
    public static Tensor decodeCached(BertEmbeddings embeddings, ModuleList<BertLayer> layers, ModuleList<BertAttention> selfAttention,
                                      int[] ids, int rows, int length, KeyValueCache cache) {
        if (ids.length != rows * length) {
            throw new IllegalArgumentException("BERT decoder: " + ids.length + " token ids for " + rows + " x " + length);
        }
        int past = cache.length();
        int[] positions = new int[ids.length];
        for (int i = 0; i < positions.length; i++) positions[i] = past + i % length;
        Tensor x = embeddings.forward(ids, null, positions, rows, length); // (R, t, C)
        for (int i = 0; i < layers.size(); i++) {
            BertLayer layer = layers.get(i);
            x = selfAttention == null ? layer.forwardCached(x, cache, i) : layer.forwardCached(x, cache, i, selfAttention.get(i)); // (R, t, C)
        }
        cache.advance(rows, length);
        return x;
    }

    /** tanh(dense(hidden[:, 0])): hidden (B, T, C) → (B, C); only for a config with a pooler. */
    public Tensor pool(Tensor hidden) {
        if (pooler == null) throw new IllegalStateException("BERT: this model has no pooler (its config says pooler=false)");
        int b = hidden.size(0), c = hidden.size(2);
        Tensor first = hidden.narrow(1, 0, 1).reshape(b, c); // (B, C)
        return pooler.dense.forward(first).tanh();           // (B, C)
    }

    public BertEmbeddings embeddings() {
        return embeddings;
    }

    public int layerCount() {
        return layers.size();
    }

    public BertLayer layer(int i) {
        return layers.get(i);
    }
}
