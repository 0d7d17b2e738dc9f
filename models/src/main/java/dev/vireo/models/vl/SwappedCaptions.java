package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;

/**
 * Word-order negatives for image-text matching: a caption with two of its ordinary tokens swapped
 * ("a red circle left of a blue square" → "a blue circle left of a red square", or "… red left
 * circle …"). It holds the same words as the true caption, so the matching head can only reject it
 * by binding words to their places: the pressure towards composition that in-batch hard negatives
 * rarely give, since a batch seldom holds a scene and its swapped twin (the idea of NegCLIP,
 * Yuksekgonul et al. 2023, applied to the fused matching head). Not in ALBEF's recipe; opt-in.
 */
public final class SwappedCaptions {
    private final int[] specialIds;

    /** @param specialIds ids never moved ([CLS], [SEP], [PAD]) */
    public SwappedCaptions(int[] specialIds) {
        this.specialIds = specialIds.clone();
    }

    /**
     * Row {@code row} of ids (B·T) with two ordinary tokens of different ids swapped, the pair drawn
     * uniformly from {@code rng}; null when the row has no such pair.
     */
    public int[] swap(int[] ids, int row, int length, Rng rng) {
        int[] out = new int[length];
        System.arraycopy(ids, row * length, out, 0, length);
        int pairs = 0;
        for (int p = 0; p < length; p++) {
            for (int q = p + 1; q < length; q++) if (swappable(out, p, q)) pairs++;
        }
        if (pairs == 0) return null;
        int pick = rng.nextInt(pairs);
        for (int p = 0; p < length; p++) {
            for (int q = p + 1; q < length; q++) {
                if (swappable(out, p, q) && pick-- == 0) {
                    int t = out[p];
                    out[p] = out[q];
                    out[q] = t;
                    return out;
                }
            }
        }
        throw new AssertionError("unreachable");
    }

    private boolean swappable(int[] ids, int p, int q) {
        return ids[p] != ids[q] && !special(ids[p]) && !special(ids[q]);
    }

    private boolean special(int id) {
        for (int s : specialIds) if (s == id) return true;
        return false;
    }
}
