package dev.vireo.models.generate;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.tensor.Tensor;

/**
 * The captioning (language-modelling) loss as BLIP computes it: position t's logits predict token
 * t + 1 under teacher forcing; targets inside the prompt (its first {@code promptLength} tokens, the
 * begin token included: {@code decoder_targets[:, :prompt_length] = -100}) and on padding are
 * ignored; cross-entropy with label smoothing ({@value #BLIP_LABEL_SMOOTHING} in BLIP).
 */
public final class LanguageModelLoss {
    /** BLIP's label smoothing of the captioning loss. */
    public static final float BLIP_LABEL_SMOOTHING = 0.1f;

    private LanguageModelLoss() {}

    /** The mean loss () of R token rows (ids R·T) about image tokens (R, S', Cv), row by row. */
    public static Tensor of(ImageTextDecoding model, Tensor imageTokens, int[] ids, int rows, int length, int promptLength, int padId,
                            float labelSmoothing) {
        int[] targets = targets(ids, rows, length, promptLength, padId);   // (R·T)
        Tensor logits = model.logits(ids, rows, length, imageTokens);      // (R, T, V)
        int v = logits.size(2);
        return Losses.crossEntropy(logits.reshape(rows * length, v), targets, Losses.IGNORE_INDEX, labelSmoothing); // ()
    }

    /** Next-token targets of ids (R·T): ids[t + 1], or the ignore index inside the prompt, past the end and on padding. */
    public static int[] targets(int[] ids, int rows, int length, int promptLength, int padId) {
        int[] targets = new int[rows * length];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                int next = t + 1 < length ? ids[r * length + t + 1] : padId;
                targets[r * length + t] = t + 1 < promptLength || next == padId ? Losses.IGNORE_INDEX : next;
            }
        }
        return targets;
    }
}
