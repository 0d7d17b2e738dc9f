package dev.vireo.models.generate;

/**
 * How to decode, with the meaning and defaults of the same-named fields of Hugging Face
 * transformers' {@code GenerationConfig} (5.x): lengths count the prompt as transformers counts
 * them ({@code minLength}); {@code maxNewTokens} bounds the generated part.
 *
 * @param maxNewTokens      most tokens generated after the prompt (≥ 1)
 * @param minLength         the end-of-sequence token is suppressed while the sequence (prompt included) is shorter
 * @param numBeams          1 for greedy or sampling, more for beam search
 * @param lengthPenalty     beam score = sum of log-probabilities / (generated length ^ lengthPenalty)
 * @param earlyStopping     beam search stops when {@code numBeams} hypotheses are finished
 * @param doSample          sample from the (filtered) distribution instead of taking the argmax
 * @param topK              keep the k most likely tokens when sampling (0: no filter)
 * @param topP              keep the smallest set whose probability reaches p when sampling (1: no filter)
 * @param temperature       logits divided by this before sampling (&gt; 0)
 * @param repetitionPenalty logits of tokens already in the sequence divided (positive) or multiplied (negative) by this (1: none)
 * @param seed              seed of the sampler; the same seed gives the same sequences
 */
public record GenerationConfig(int maxNewTokens, int minLength, int numBeams, double lengthPenalty, boolean earlyStopping,
                               boolean doSample, int topK, double topP, double temperature, double repetitionPenalty, long seed) {
    public GenerationConfig {
        if (maxNewTokens < 1) throw new IllegalArgumentException("generation: max new tokens must be at least 1, got " + maxNewTokens);
        if (minLength < 0) throw new IllegalArgumentException("generation: min length must be non-negative, got " + minLength);
        if (numBeams < 1) throw new IllegalArgumentException("generation: beams must be at least 1, got " + numBeams);
        if (topK < 0) throw new IllegalArgumentException("generation: top-k must be non-negative, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("generation: top-p must lie in (0, 1], got " + topP);
        if (!(temperature > 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("generation: temperature must be positive, got " + temperature);
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) throw new IllegalArgumentException("generation: repetition penalty must be positive, got " + repetitionPenalty);
        if (!Double.isFinite(lengthPenalty)) throw new IllegalArgumentException("generation: length penalty must be finite, got " + lengthPenalty);
    }

    /** Greedy decoding of at most {@code maxNewTokens} tokens. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 1, 1.0, false, false, 50, 1.0, 1.0, 1.0, 0);
    }
}
