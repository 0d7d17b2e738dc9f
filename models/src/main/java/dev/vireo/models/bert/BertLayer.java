package dev.vireo.models.bert;

import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;

/**
 * A post-LN BERT layer (HF {@code BertLayer}): self-attention, optionally cross-attention over
 * another sequence ({@code crossattention}, as the fusion encoders of ALBEF and BLIP use), then
 * the MLP: {@code intermediate.dense} with the activation, {@code output.dense}, residual, LayerNorm.
 */
public final class BertLayer extends Module {
    private final BertAttention attention;
    private final BertAttention crossAttention;
    private final Intermediate intermediate;
    private final BertAttention.AddNorm output;

    /** {@code dense} and the activation (HF {@code BertIntermediate}). */
    static final class Intermediate extends Module {
        final Linear dense;
        final Activation activation;

        Intermediate(Rng rng, int in, int out, Activation activation) {
            this.dense = child("dense", new Linear(rng, in, out, true));
            this.activation = activation;
        }
    }

    /**
     * @param crossWidth the feature width of the sequence cross-attention reads, or 0 for a layer
     *                   without cross-attention
     */
    public BertLayer(Rng rng, BertConfig config, int crossWidth) {
        this.attention = child("attention", new BertAttention(rng, config, config.hidden()));
        this.crossAttention = crossWidth > 0 ? child("crossattention", new BertAttention(rng, config, crossWidth)) : null;
        this.intermediate = child("intermediate",
                new Intermediate(rng, config.hidden(), config.intermediate(), Activation.of(config.activation())));
        this.output = child("output", new BertAttention.AddNorm(rng, config.intermediate(), config.hidden(), (float) config.layerNormEps()));
    }

    /**
     * x (B, T, C) → (B, T, C).
     *
     * @param mask         (B, T): 1 for tokens, 0 for padding, or null
     * @param context      (B, S, Cc) for cross-attention, or null (required when the layer has cross-attention)
     * @param contextMask  (B, S) or null
     */
    public Tensor forward(Tensor x, Tensor mask, Tensor context, Tensor contextMask) {
        return forward(x, mask, null, context, contextMask, false);
    }

    /**
     * As above, or on packed tokens x (1, N, C) when {@code packing} is given (then {@code mask} is its
     * (B, T) mask). With {@code skipCrossAttention} and no context, a layer with cross-attention runs
     * without it, as HF's BERT and BLIP text layers do when given no encoder states.
     */
    Tensor forward(Tensor x, Tensor mask, TokenPacking packing, Tensor context, Tensor contextMask, boolean skipCrossAttention) {
        Tensor h = attention.forward(x, x, mask, packing, true); // (B, T, C), or (1, N, C) packed
        if (crossAttention != null && !(skipCrossAttention && context == null)) {
            if (context == null) throw new IllegalArgumentException("BERT layer: this layer has cross-attention and needs a context sequence");
            Tensor c = crossAttention.forward(h, context, contextMask, packing, false); // (B, T, C), or (1, N, C) packed
            if (!c.requiresGrad()) BufferPool.recycle(h);
            h = c;
        }
        Tensor inner = intermediate.dense.forward(h, intermediate.activation); // (B, T, I), or (1, N, I) packed
        Tensor y = output.forward(inner, h);                                  // (B, T, C), or (1, N, C) packed
        if (!y.requiresGrad()) {
            BufferPool.recycle(inner);
            BufferPool.recycle(h);
        }
        return y;
    }

    /**
     * As {@link #forward(Tensor, Tensor, Tensor, Tensor)} for rows that read shared contexts: x
     * (M, T, C), row m cross-attending to context {@code contextRows[m]} of context (G, S, Cc),
     * whose keys and values are computed once per context sequence. → (M, T, C).
     */
    public Tensor forwardGathered(Tensor x, Tensor mask, Tensor context, int[] contextRows) {
        if (crossAttention == null) throw new IllegalArgumentException("BERT layer: this layer has no cross-attention to read a context with");
        Tensor h = attention.forward(x, x, mask, null, true);                       // (M, T, C)
        Tensor c = crossAttention.forwardGathered(h, context, contextRows);         // (M, T, C)
        Tensor inner = intermediate.dense.forward(c, intermediate.activation);      // (M, T, I)
        return output.forward(inner, c);                                            // (M, T, C)
    }

    /**
     * One decoder step of this layer (i in its model): causal self-attention over the cache, then,
     * when the cache holds a context for it, cross-attention over its precomputed keys and values,
     * then the MLP. x (R, t, C) → (R, t, C); recorded for autograd when its inputs are.
     */
    public Tensor forwardCached(Tensor x, KeyValueCache cache, int layer) {
        return forwardCached(x, cache, layer, attention);
    }

    /**
     * As above with {@code selfAttention} in place of this layer's own: BLIP's text decoder shares
     * every weight of its encoder's layers but the self-attention, which is the decoder's own.
     */
    public Tensor forwardCached(Tensor x, KeyValueCache cache, int layer, BertAttention selfAttention) {
        Tensor h = selfAttention.forwardCached(x, cache, layer); // (R, t, C)
        if (crossAttention != null && cache.hasContext(layer)) {
            h = crossAttention.forwardGrouped(h, cache.crossKeys(layer), cache.crossValues(layer), cache.contextMask()); // (R, t, C)
        }
        Tensor inner = intermediate.dense.forward(h, intermediate.activation); // (R, t, I)
        return output.forward(inner, h);                                      // (R, t, C)
    }

    public boolean hasCrossAttention() {
        return crossAttention != null;
    }

    /** The self-attention sub-layer. */
    public BertAttention attention() {
        return attention;
    }

    /** The cross-attention sub-layer, or null in a layer without one. */
    public BertAttention crossAttention() {
        return crossAttention;
    }
}
