package dev.vireo.models.bert;

import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.tensor.Tensor;

/**
 * The tokens of a padded batch packed into rows of their own, so that every row-wise layer
 * (projections, MLP, layer norms) runs on real tokens only; padding is rebuilt just for attention,
 * which needs each sequence's keys side by side. A batch of mixed lengths padded to its longest
 * sequence spends most of its work on padding otherwise (32 captions of 8 to 60 tokens: about 2/3).
 * Each kept token's result is that of the padded computation: the row-wise layers never mix rows,
 * and attention still sees exactly the kept keys.
 */
final class TokenPacking {
    private final int batch;
    private final int length;
    /** Padded position (b·T + t) of each packed row, in order. */
    private final int[] kept;
    /** Packed row of each padded position; padding points at row 0 (masked as a key, dropped as a query). */
    private final int[] rowOf;
    /** As rowOf, but padding points at an appended zero row, for the encoder's output. */
    private final int[] rowOrZero;

    private TokenPacking(int batch, int length, int[] kept, int[] rowOf, int[] rowOrZero) {
        this.batch = batch;
        this.length = length;
        this.kept = kept;
        this.rowOf = rowOf;
        this.rowOrZero = rowOrZero;
    }

    /** The packing of mask (B, T) (non-zero = token), or null when nothing is padded. */
    static TokenPacking of(Tensor mask, int batch, int length) {
        if (mask == null) return null;
        if (mask.rank() != 2 || mask.size(0) != batch || mask.size(1) != length) {
            throw new IllegalArgumentException("BERT: attention mask of shape (" + mask.size(0) + (mask.rank() > 1 ? ", " + mask.size(1) : "")
                    + ") for a batch of " + batch + " x " + length);
        }
        float[] m = mask.contiguous().toArray();
        int n = 0;
        for (float v : m) if (v != 0) n++;
        if (n == m.length) return null;
        if (n == 0) throw new IllegalArgumentException("BERT: the attention mask keeps no token");
        int[] kept = new int[n], rowOf = new int[m.length], rowOrZero = new int[m.length];
        for (int p = 0, r = 0; p < m.length; p++) {
            if (m[p] != 0) {
                kept[r] = p;
                rowOf[p] = r;
                rowOrZero[p] = r++;
            } else {
                rowOrZero[p] = n;
            }
        }
        return new TokenPacking(batch, length, kept, rowOf, rowOrZero);
    }

    /** Tokens kept. */
    int rows() {
        return kept.length;
    }

    /** The kept entries of a (B·T) array of ids, types or positions. */
    int[] pack(int[] perPosition) {
        int[] out = new int[kept.length];
        for (int r = 0; r < kept.length; r++) out[r] = perPosition[kept[r]];
        return out;
    }

    /** Each kept token's position in its sequence. */
    int[] positions() {
        int[] out = new int[kept.length];
        for (int r = 0; r < kept.length; r++) out[r] = kept[r] % length;
        return out;
    }

    /** packed (N, C) → padded (B, T, C) for attention; padded rows hold some token's values, masked there. */
    Tensor pad(Tensor packed) {
        int c = packed.size(-1);
        return packed.reshape(kept.length, c).indexSelect(0, rowOf).reshape(batch, length, c); // (B, T, C)
    }

    /** padded (B, T, C) → packed (1, N, C). */
    Tensor pack(Tensor padded) {
        int c = padded.size(-1);
        return padded.reshape(batch * length, c).indexSelect(0, kept).reshape(1, kept.length, c); // (1, N, C)
    }

    /** packed (1, N, C) → (B, T, C) with zeros at the padding. */
    Tensor unpack(Tensor packed) {
        int c = packed.size(-1);
        Tensor withZero = ShapeOps.concat(0, packed.reshape(kept.length, c), Tensor.zeros(1, c)); // (N + 1, C)
        return withZero.indexSelect(0, rowOrZero).reshape(batch, length, c); // (B, T, C)
    }
}
