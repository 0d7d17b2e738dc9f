package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binding negatives for image-text matching: a caption with two of its words of the same kind swapped
 * ("a red circle left of a blue square" → "a blue circle left of a red square"). It holds the same
 * words as the true caption, so the matching head can only reject it by binding each word to its
 * place: the pressure towards composition that in-batch hard negatives rarely give, since a batch
 * seldom holds a scene and its swapped twin (the idea of NegCLIP, Yuksekgonul et al. 2023, applied
 * to the fused matching head). Not in ALBEF's recipe; opt-in.
 *
 * <p>Which words are of a kind is learnt from the training captions, not listed: two tokens are of
 * a kind when the contexts they occur in (the tokens just before and after) overlap by at least
 * {@value #SAME_KIND} (Jaccard), joined transitively: colours share "a _ circle", "small _ square";
 * shapes share "red _ left", "blue _ above". A swap of words of different kinds ("a circle red")
 * would be rejected by grammar alone and teach nothing about the image.
 */
public final class SwappedCaptions {
    /** The Jaccard overlap of two tokens' contexts that makes them one kind. */
    public static final double SAME_KIND = 0.3;

    private final int[] specialIds;
    private final Map<Integer, Integer> kindOf;

    /**
     * @param captions   the training captions as token ids, special tokens included
     * @param specialIds ids never moved ([CLS], [SEP], [PAD])
     */
    public SwappedCaptions(List<int[]> captions, int[] specialIds) {
        this.specialIds = specialIds.clone();
        this.kindOf = kinds(captions);
    }

    /** The kind of each ordinary token seen in the captions: tokens of one kind map to the same representative. */
    private Map<Integer, Integer> kinds(List<int[]> captions) {
        Map<Integer, Set<Long>> contexts = new HashMap<>();
        for (int[] ids : captions) {
            for (int p = 0; p < ids.length; p++) {
                if (special(ids[p])) continue;
                long before = p > 0 ? ids[p - 1] : -1, after = p + 1 < ids.length ? ids[p + 1] : -1;
                contexts.computeIfAbsent(ids[p], k -> new HashSet<>()).add(before << 32 | (after & 0xFFFFFFFFL));
            }
        }
        List<Integer> tokens = new ArrayList<>(contexts.keySet());
        tokens.sort(null);
        Map<Integer, Integer> parent = new HashMap<>();
        for (int t : tokens) parent.put(t, t);
        for (int a = 0; a < tokens.size(); a++) {
            for (int b = a + 1; b < tokens.size(); b++) {
                Set<Long> x = contexts.get(tokens.get(a)), y = contexts.get(tokens.get(b));
                int common = 0;
                for (long c : x) if (y.contains(c)) common++;
                if (common >= SAME_KIND * (x.size() + y.size() - common)) union(parent, tokens.get(a), tokens.get(b));
            }
        }
        Map<Integer, Integer> out = new HashMap<>();
        for (int t : tokens) out.put(t, find(parent, t));
        return out;
    }

    private static int find(Map<Integer, Integer> parent, int t) {
        while (parent.get(t) != t) t = parent.get(t);
        return t;
    }

    private static void union(Map<Integer, Integer> parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) parent.put(Math.max(ra, rb), Math.min(ra, rb));
    }

    /** Whether two token ids are of one kind (both seen in the captions). */
    public boolean sameKind(int a, int b) {
        Integer ka = kindOf.get(a), kb = kindOf.get(b);
        return ka != null && ka.equals(kb);
    }

    /**
     * Row {@code row} of ids (B·T) with two different tokens of one kind swapped, the pair drawn
     * uniformly from {@code rng}; null when the row has no such pair.
     */
    public int[] swap(int[] ids, int row, int length, Rng rng) {
        int[] out = Arrays.copyOfRange(ids, row * length, (row + 1) * length);
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
        return ids[p] != ids[q] && !special(ids[p]) && !special(ids[q]) && sameKind(ids[p], ids[q]);
    }

    private boolean special(int id) {
        for (int s : specialIds) if (s == id) return true;
        return false;
    }
}
