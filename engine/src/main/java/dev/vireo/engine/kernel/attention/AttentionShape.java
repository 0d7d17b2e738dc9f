package dev.vireo.engine.kernel.attention;

/**
 * The sizes and options of one attention head: tq queries and tk keys, head size d for queries and
 * keys and dv for values, the logit scale, and a causal mask (query i sees keys j ≤ i, top-left aligned).
 */
public record AttentionShape(int tq, int tk, int d, int dv, float scale, boolean causal) {

    /** Whether query i may attend to key j, given the padding mask (1 = keep; null keeps all). */
    boolean allowed(int i, int j, float[] keep, int keepOff) {
        return (!causal || j <= i) && (keep == null || keep[keepOff + j] != 0f);
    }
}
