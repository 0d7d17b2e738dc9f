package dev.vireo.models.bert;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.Decoder;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One decoding run of a BERT-layer decoder over a {@link KeyValueCache}: the cache starts at
 * {@link #prefill} (the context's cross-attention keys and values computed there, once), each step
 * appends one token per row, and beam search rearranges the rows; the logits are the head's on the
 * last position. What a decoder runs per call is its own ({@link Layers}): the text decoder of a
 * captioner, or the VL model's decoder on its shared layers.
 */
public final class CachedDecoding implements Decoder {
    /** t new tokens per row (ids R·t) through the decoder's layers, appended to the cache → their last hidden states (R, t, C). */
    @FunctionalInterface
    public interface Layers {
        Tensor forward(int[] ids, int rows, int length, KeyValueCache cache);
    }

    private final int vocabSize;
    private final Supplier<KeyValueCache> newCache;
    private final Layers layers;
    private final UnaryOperator<Tensor> head;
    private final String name;
    private KeyValueCache cache;

    /**
     * @param newCache an empty cache over the run's context
     * @param head     hidden (R, C) → logits (R, V)
     * @param name     how errors name the decoder
     */
    public CachedDecoding(int vocabSize, Supplier<KeyValueCache> newCache, Layers layers, UnaryOperator<Tensor> head, String name) {
        this.vocabSize = vocabSize;
        this.newCache = newCache;
        this.layers = layers;
        this.head = head;
        this.name = name;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public float[] prefill(int[] ids, int rows, int length) {
        cache = newCache.get();
        return next(ids, rows, length);
    }

    @Override
    public float[] step(int[] tokens) {
        if (cache == null) throw new IllegalStateException(name + ": step before prefill");
        return next(tokens, tokens.length, 1);
    }

    @Override
    public void select(int[] source) {
        if (cache == null) throw new IllegalStateException(name + ": select before prefill");
        cache.select(source);
    }

    /** The last position's logits (R·V) after appending t tokens per row. */
    private float[] next(int[] ids, int rows, int t) {
        Tensor hidden = layers.forward(ids, rows, t, cache);                                             // (R, t, C)
        int c = hidden.size(2);
        Tensor last = t == 1 ? hidden.reshape(rows, c) : hidden.narrow(1, t - 1, 1).reshape(rows, c); // (R, C)
        return head.apply(last).toArray();                                                             // (R, V)
    }
}
