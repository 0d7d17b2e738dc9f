package dev.vireo.models.generate;

/**
 * A model that gives next-token logits over a key/value cache it keeps, one row per sequence
 * being decoded: what {@link Generator} drives. The cache starts empty at {@link #prefill}; each
 * {@link #step} appends one token per row; beam search rearranges the rows with {@link #select}.
 * Any state a row carries besides its tokens (the image a caption is grounded in) belongs to the
 * implementation, which may require that {@code select} keep each row with its own state.
 */
public interface Decoder {
    /** V, the width of every logits row. */
    int vocabSize();

    /**
     * Starts over from an empty cache with {@code rows} prompts of {@code length} tokens (ids
     * row-major, rows × length) and returns the logits (rows · V, row-major) of each row's next token.
     */
    float[] prefill(int[] ids, int rows, int length);

    /** Appends {@code tokens[r]} to row r of the cache; the logits (rows · V) of each row's next token. */
    float[] step(int[] tokens);

    /**
     * Rebuilds the cache from its own rows: new row i is old row {@code source[i]} (the number of rows
     * may change: beam search copies each prompt into its beams, then follows the surviving beams).
     */
    void select(int[] source);
}
