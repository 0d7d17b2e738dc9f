/*
 * A batch of tokenised texts as flat row-major (B, T) int arrays, the layout that
 * ShapeOps.embedding(weight, ids, B, T) takes: ids, token type ids (segment A = 0, B = 1) and the
 * attention mask (1 = real token, 0 = padding), plus each row's unpadded length.
 */
package dev.vireo.models.text;

import java.util.Arrays;

public record TokenBatch(int batch, int length, int[] ids, int[] typeIds, int[] attentionMask, int[] lengths) {

    public TokenBatch {
        int cells = Math.multiplyExact(batch, length);
        if (ids.length != cells || typeIds.length != cells || attentionMask.length != cells || lengths.length != batch) {
            throw new IllegalArgumentException("TokenBatch: shape (" + batch + ", " + length + ") needs " + cells
                    + " ids, type ids and mask cells and " + batch + " lengths, got " + ids.length + ", "
                    + typeIds.length + ", " + attentionMask.length + " and " + lengths.length);
        }
    }

    /** Stacks equal-length rows; each row's length is its number of mask ones. */
    public static TokenBatch of(Encoding[] rows) {
        int b = rows.length;
        int t = b == 0 ? 0 : rows[0].length();
        int[] ids = new int[b * t];  // (B, T)
        int[] types = new int[b * t];  // (B, T)
        int[] mask = new int[b * t];  // (B, T)
        int[] lengths = new int[b];
        for (int r = 0; r < b; r++) {
            Encoding e = rows[r];
            if (e.length() != t) {
                throw new IllegalArgumentException("TokenBatch.of: row " + r + " has " + e.length() + " tokens, row 0 has " + t);
            }
            System.arraycopy(e.ids(), 0, ids, r * t, t);
            System.arraycopy(e.typeIds(), 0, types, r * t, t);
            System.arraycopy(e.attentionMask(), 0, mask, r * t, t);
            lengths[r] = e.realLength();
        }
        return new TokenBatch(b, t, ids, types, mask, lengths);
    }

    /** The ids of row {@code b}. */
    public int[] row(int b) {
        return Arrays.copyOfRange(ids, b * length, (b + 1) * length);
    }

    /** The ids as B rows of T. */
    public int[][] toArrays() {
        int[][] out = new int[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = row(b);
        }
        return out;
    }
}
