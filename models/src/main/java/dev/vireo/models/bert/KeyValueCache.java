package dev.vireo.models.bert;

import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.tensor.Tensor;

/**
 * The keys and values a decoding {@link BertModel} keeps between steps (HF's
 * {@code EncoderDecoderCache}): per layer, the self-attention keys and values of every token so far,
 * (R, P, C) for R rows of P tokens, growing by each step's tokens; and the cross-attention keys and
 * values of the context (G, S, C), computed once per context sequence and shared by the R / G rows
 * that read it (a caption's beams share their image's). Rows are grouped: rows [g·R/G, (g+1)·R/G)
 * read context g, and {@link #select} keeps every row in its group.
 */
public final class KeyValueCache {
    private final Tensor[] selfKeys;
    private final Tensor[] selfValues;
    private final Tensor[] crossKeys;
    private final Tensor[] crossValues;
    private final int groups;
    private int rows;
    private int length;

    KeyValueCache(int layers, Tensor[] crossKeys, Tensor[] crossValues, int groups) {
        this.selfKeys = new Tensor[layers];
        this.selfValues = new Tensor[layers];
        this.crossKeys = crossKeys;
        this.crossValues = crossValues;
        this.groups = groups;
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

    boolean hasContext() {
        return crossKeys != null;
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

    /** Records that every layer has appended t tokens to R rows. */
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
