package dev.vireo.models.bert;

import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The keys and values a decoding {@link BertModel} keeps between steps (HF's
 * {@code EncoderDecoderCache}): per layer, the self-attention keys and values of every token so far,
 * (R, P, C) for R rows of P tokens, growing by each step's tokens; and the cross-attention keys and
 * values of the context (G, S, C), computed once per context sequence and shared by the R / G rows
 * that read it (a caption's beams share their image's). Rows are grouped: rows [g·R/G, (g+1)·R/G)
 * read context g, and {@link #select} keeps every row in its group. A layer without cross-attention
 * has no context keys (a decoder whose lower layers read only text), and a context of unequal
 * sequences comes with its mask (G, S), 1 for positions to read and 0 for padding.
 */
public final class KeyValueCache {
    private final Tensor[] selfKeys;
    private final Tensor[] selfValues;
    private final Tensor[] crossKeys;
    private final Tensor[] crossValues;
    private final Tensor contextMask;
    private final int groups;
    private int rows;
    private int length;

    private KeyValueCache(int layers, Tensor[] crossKeys, Tensor[] crossValues, Tensor contextMask, int groups) {
        this.selfKeys = new Tensor[layers];
        this.selfValues = new Tensor[layers];
        this.crossKeys = crossKeys;
        this.crossValues = crossValues;
        this.contextMask = contextMask;
        this.groups = groups;
    }

    /**
     * An empty cache for decoding through {@code layers}, whose layers with cross-attention read
     * {@code context} (G, S, Cc): their keys and values are computed here, once. A null context: no
     * cross-attention anywhere. {@code contextMask} (G, S) or null when no context sequence is padded.
     */
    public static KeyValueCache over(ModuleList<BertLayer> layers, Tensor context, Tensor contextMask) {
        int n = layers.size();
        if (context == null) return new KeyValueCache(n, null, null, null, 0);
        int g = context.size(0), s = context.size(1);
        if (contextMask != null && (contextMask.rank() != 2 || contextMask.size(0) != g || contextMask.size(1) != s)) {
            throw new IllegalArgumentException("cache: a context mask must be (" + g + ", " + s + "), got " + Arrays.toString(contextMask.shape()));
        }
        Tensor[] keys = new Tensor[n], values = new Tensor[n];
        for (int i = 0; i < n; i++) {
            BertAttention cross = layers.get(i).crossAttention();
            if (cross == null) continue;
            Tensor[] kv = cross.keysValues(context); // 2 x (G, S, C)
            keys[i] = kv[0];
            values[i] = kv[1];
        }
        return new KeyValueCache(n, keys, values, contextMask, g);
    }

    /** P, the tokens each row holds so far. */
    public int length() {
        return length;
    }

    /** R, the rows (0 before the first tokens). */
    public int rows() {
        return rows;
    }

    /** G, the context sequences, or 0 without cross-attention. */
    public int groups() {
        return groups;
    }

    /** Whether layer i reads a context (it has cross-attention and the cache was given one). */
    boolean hasContext(int layer) {
        return crossKeys != null && crossKeys[layer] != null;
    }

    /** The context's mask (G, S), or null. */
    Tensor contextMask() {
        return contextMask;
    }

    /** Appends the new tokens' keys and values (R, t, C) of layer i; returns all (R, P + t, C). */
    Tensor[] append(int layer, Tensor keys, Tensor values) {
        int r = keys.size(0);
        if (length > 0 && r != rows) throw new IllegalArgumentException("cache: " + r + " rows for a cache of " + rows);
        if (groups > 0 && r % groups != 0) {
            throw new IllegalArgumentException("cache: " + r + " rows do not split evenly over " + groups + " context sequences");
        }
        Tensor k = selfKeys[layer] == null ? keys : ShapeOps.concat(1, selfKeys[layer], keys);       // (R, P + t, C)
        Tensor v = selfValues[layer] == null ? values : ShapeOps.concat(1, selfValues[layer], values); // (R, P + t, C)
        selfKeys[layer] = k;
        selfValues[layer] = v;
        return new Tensor[] {k, v};
    }

    /** Records that every layer has appended t tokens to R rows ({@link BertModel#decodeCached} calls it). */
    void advance(int r, int t) {
        rows = r;
        length += t;
    }

    Tensor crossKeys(int layer) {
        return crossKeys[layer];
    }

    Tensor crossValues(int layer) {
        return crossValues[layer];
    }

    /**
     * Rebuilds the rows: new row i is old row {@code source[i]}, which must read the same context
     * sequence (its group), as beam search's copies and reorders do.
     */
    public void select(int[] source) {
        if (length == 0) throw new IllegalStateException("cache: nothing to select before the first tokens");
        int g = Math.max(groups, 1);
        if (source.length % g != 0) throw new IllegalArgumentException("cache: " + source.length + " rows do not split over " + g + " context sequences");
        int newPerGroup = source.length / g, oldPerGroup = rows / g;
        for (int i = 0; i < source.length; i++) {
            if (source[i] < 0 || source[i] >= rows || source[i] / oldPerGroup != i / newPerGroup) {
                throw new IllegalArgumentException("cache: row " + i + " cannot come from row " + source[i] + " of " + rows
                        + " (each row keeps its context sequence)");
            }
        }
        for (int layer = 0; layer < selfKeys.length; layer++) {
            selfKeys[layer] = selfKeys[layer].indexSelect(0, source);     // (R', P, C)
            selfValues[layer] = selfValues[layer].indexSelect(0, source); // (R', P, C)
        }
        rows = source.length;
    }
}
