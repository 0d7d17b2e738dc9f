package dev.vireo.models.generate;

import dev.vireo.engine.tensor.Rng;

import java.util.Arrays;

/**
 * transformers' {@code generate} (5.x) over a {@link Decoder}, for a batch of prompts: greedy
 * search or multinomial sampling ({@code _sample}) when {@code numBeams} is 1, beam search
 * ({@link BeamSearch}, transformers' {@code _beam_search}) otherwise. The result is what
 * transformers returns: one row per prompt, the prompt included, all rows as long as the longest.
 * Greedy and sampling run every row until all have produced {@code eos} or {@code maxNewTokens}
 * tokens, a finished row taking {@code pad} thereafter. Sampling draws from our own seeded
 * generator: reproducible from {@code seed}, but not the draws torch would make.
 */
public final class Generator {
    private Generator() {}

    /**
     * Decodes {@code rows} prompts of {@code length} tokens (row-major).
     *
     * @param eosId the token that ends a sequence (BLIP's [SEP]); negative for none
     * @param padId the token that fills finished rows; negative for none (then eos fills them, as transformers does)
     */
    public static int[][] generate(Decoder decoder, int[] prompts, int rows, int length, GenerationConfig config, int eosId, int padId) {
        if (rows < 1 || length < 1 || prompts.length != rows * length) {
            throw new IllegalArgumentException("generate: " + prompts.length + " prompt ids for " + rows + " rows of " + length);
        }
        if (config.numBeams() > 1) return BeamSearch.run(decoder, prompts, rows, length, config, eosId, padId);
        return greedyOrSample(decoder, prompts, rows, length, config, eosId, padId < 0 ? eosId : padId);
    }

    /** transformers' {@code _sample}: argmax, or a draw from the warped distribution, per row and step. */
    private static int[][] greedyOrSample(Decoder decoder, int[] prompts, int rows, int length, GenerationConfig config, int eosId, int padId) {
        int maxLength = length + config.maxNewTokens();
        int[][] sequences = new int[rows][maxLength];
        for (int r = 0; r < rows; r++) System.arraycopy(prompts, r * length, sequences[r], 0, length);
        boolean[] unfinished = new boolean[rows];
        Arrays.fill(unfinished, true);
        Rng rng = new Rng(config.seed());
        int vocab = decoder.vocabSize();
        float[] logits = decoder.prefill(prompts, rows, length); // (rows, V)
        int current = length;
        while (true) {
            int[] next = new int[rows];
            for (int r = 0; r < rows; r++) {
                int o = r * vocab;
                LogitsProcessing.process(logits, o, vocab, sequences[r], current, config, eosId);
                if (config.doSample()) {
                    LogitsProcessing.warp(logits, o, vocab, config, 1);
                    next[r] = draw(LogitsProcessing.softmax(logits, o, vocab), rng);
                } else {
                    next[r] = LogitsProcessing.argmax(logits, o, vocab);
                }
                if (!unfinished[r] && eosId >= 0) next[r] = padId; // a finished row takes padding
                sequences[r][current] = next[r];
            }
            current++;
            boolean any = false;
            for (int r = 0; r < rows; r++) {
                unfinished[r] &= next[r] != eosId && current < maxLength; // EosTokenCriteria, MaxLengthCriteria
                any |= unfinished[r];
            }
            if (!any) break;
            logits = decoder.step(next); // (rows, V)
        }
        for (int r = 0; r < rows; r++) sequences[r] = Arrays.copyOf(sequences[r], current);
        return sequences;
    }

    /** One index drawn with probability p[i] (torch.multinomial of one sample, on our generator). */
    static int draw(double[] p, Rng rng) {
        double u = rng.nextDouble(), cumulative = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] <= 0) continue;
            cumulative += p[i];
            last = i;
            if (u < cumulative) return i;
        }
        if (last < 0) throw new IllegalStateException("generate: every token was filtered out");
        return last; // u beyond a cumulative sum rounded below 1
    }
}
