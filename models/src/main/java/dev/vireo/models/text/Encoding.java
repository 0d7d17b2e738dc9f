/*
 * One tokenised text (or text pair): ids, token type ids and attention mask of equal length,
 * special tokens and padding included. A plain value; tokenizers make it, TokenBatch stacks it.
 */
package dev.vireo.models.text;

public record Encoding(int[] ids, int[] typeIds, int[] attentionMask) {

    public Encoding {
        if (typeIds.length != ids.length || attentionMask.length != ids.length) {
            throw new IllegalArgumentException("Encoding: " + ids.length + " ids but " + typeIds.length
                    + " type ids and " + attentionMask.length + " mask entries");
        }
    }

    /** Number of positions, padding included (T). */
    public int length() {
        return ids.length;
    }

    /** Number of real (unpadded) positions. */
    public int realLength() {
        int n = 0;
        for (int m : attentionMask) {
            n += m;
        }
        return n;
    }
}
