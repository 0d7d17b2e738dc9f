package dev.vireo.models.generate;

import dev.vireo.engine.tensor.Tensor;

/**
 * A model that writes text about images: its image side turns pixels into the tokens its text
 * decoder cross-attends to, and the decoder is trained by teacher forcing and run by
 * {@link Generator} over a key/value cache. Vireo's captioner, the vision-language transformer's
 * BLIP-style decoder and the CoCa-style model all are one, so one trainer loss and one captioner
 * serve them.
 */
public interface ImageTextDecoding {
    /** The side of the square images {@link #imageTokens} takes. */
    int imageSize();

    /** The most token positions a row may hold (prompt and generated tokens together). */
    int maxPositions();

    /** images (B, 3, S, S), normalised → the tokens the decoder reads (B, S', Cv). */
    Tensor imageTokens(Tensor images);

    /**
     * Teacher forcing: next-token logits (R, T, V) of R token rows (ids row-major, R·T; right
     * padding is harmless under causal attention), row r reading image tokens r of (R, S', Cv).
     */
    Tensor logits(int[] ids, int rows, int length, Tensor imageTokens);

    /** Decoding over images' tokens (G, S', Cv): the rows come in G equal groups, group g reading image g. */
    Decoder decoder(Tensor imageTokens);
}
