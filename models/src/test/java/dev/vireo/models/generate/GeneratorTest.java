package dev.vireo.models.generate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * Decoding over a table decoder whose logits depend only on the last token (worked by hand from
 * transformers' algorithms): greedy stops at eos and pads finished rows; min length (prompt
 * counted) holds eos back; sampling is reproducible from its seed, equals greedy with top-k 1, and
 * draws tokens as often as the filtered distribution says; beam search finds the likelier sequence
 * greedy misses, a length penalty turns it to the longer one, and rows end filled with eos when pad
 * is 0 (transformers' {@code pad_token_id or eos_token_id}).
 */
class GeneratorTest {
    private static final int EOS = 0, PAD = 5, V = 7;

    /** log p per token, -30 for the impossible ones. */
    private static float[] row(double... p) {
        float[] r = new float[V];
        for (int i = 0; i < V; i++) r[i] = i < p.length && p[i] > 0 ? (float) Math.log(p[i]) : -30f;
        return r;
    }

    /** Next-token log-probabilities after each token: 0 eos, 1-4 words, 5 pad, 6 a start token. */
    private static final float[][] TABLE = {
            row(0, 0, 0, 0, 0, 1),    // after eos
            row(0.1, 0, 0.7, 0, 0.2), // after 1
            row(0.3, 0, 0, 0.6, 0.1), // after 2
            row(0.9, 0.05, 0.05),     // after 3
            row(0.8, 0.1, 0.1),       // after 4
            row(0.2, 0.4, 0.4),       // after 5
            row(0, 0.55, 0, 0, 0.45)};  // after 6

    /** A Markov-chain decoder: its cache is each row's last token, rearranged by select. */
    private static final class TableDecoder implements Decoder {
        private int[] last;

        @Override
        public int vocabSize() {
            return V;
        }

        @Override
        public float[] prefill(int[] ids, int rows, int length) {
            last = new int[rows];
            for (int r = 0; r < rows; r++) last[r] = ids[r * length + length - 1];
            return logits();
        }

        @Override
        public float[] step(int[] tokens) {
            assertThat(tokens).hasSameSizeAs(last);
            last = tokens.clone();
            return logits();
        }

        @Override
        public void select(int[] source) {
            int[] next = new int[source.length];
            for (int i = 0; i < source.length; i++) next[i] = last[source[i]];
            last = next;
        }

        private float[] logits() {
            float[] out = new float[last.length * V];
            for (int r = 0; r < last.length; r++) System.arraycopy(TABLE[last[r]], 0, out, r * V, V);
            return out;
        }
    }

    private static int[][] generate(int[] prompts, GenerationConfig config, int eos, int pad) {
        return Generator.generate(new TableDecoder(), prompts, prompts.length, 1, config, eos, pad);
    }

    private static GenerationConfig config(int maxNew, int minLength, int beams, double lengthPenalty, boolean sample, int topK, double topP, long seed) {
        return new GenerationConfig(maxNew, minLength, beams, lengthPenalty, false, sample, topK, topP, 1.0, 1.0, seed);
    }

    @Test
    void greedyStopsAtEosAndPadsFinishedRows() {
        int[][] out = generate(new int[] {1, 4}, GenerationConfig.greedy(10), EOS, PAD);
        assertThat(out[0]).containsExactly(1, 2, 3, 0);
        assertThat(out[1]).containsExactly(4, 0, PAD, PAD);
    }

    @Test
    void greedyStopsAtMaxNewTokens() {
        assertThat(generate(new int[] {1}, GenerationConfig.greedy(2), EOS, PAD)[0]).containsExactly(1, 2, 3);
    }

    @Test
    void minLengthHoldsEosBackCountingThePrompt() {
        // length 1 and 2 < 3: eos barred after 4 (→ 1, the first of two equal) and after 1 (→ 2); at length 3 it may come
        assertThat(generate(new int[] {4}, config(6, 3, 1, 1, false, 50, 1, 0), EOS, PAD)[0]).containsExactly(4, 1, 2, 3, 0);
    }

    @Test
    void samplingIsReproducibleAndTopKOneIsGreedy() {
        int[] prompts = {1, 4, 2, 3};
        GenerationConfig sampled = config(8, 0, 1, 1, true, 0, 1, 42);
        assertThat(generate(prompts, sampled, EOS, PAD)).isDeepEqualTo(generate(prompts, sampled, EOS, PAD));
        assertThat(generate(prompts, config(8, 0, 1, 1, true, 1, 1, 7), EOS, PAD))
                .isDeepEqualTo(generate(prompts, GenerationConfig.greedy(8), EOS, PAD));
    }

    @Test
    void samplingDrawsFromTheFilteredDistribution() {
        // after 5 the row is 0.2, 0.4, 0.4: top-p 0.7 drops token 0 (cumulative 0.2 ≤ 0.3), the other two get 0.5 each
        int draws = 20_000;
        int[] prompts = new int[draws];
        Arrays.fill(prompts, 5);
        int[] counts = new int[V];
        for (int[] r : generate(prompts, config(1, 0, 1, 1, true, 0, 0.7, 3), EOS, PAD)) counts[r[1]]++;
        assertThat(counts[0]).isZero();
        assertThat(counts[1] / (double) draws).isCloseTo(0.5, offset(0.015));
        assertThat(counts[2] / (double) draws).isCloseTo(0.5, offset(0.015));
    }

    @Test
    void beamSearchFindsTheLikelierSequenceAndTheLengthPenaltyTheLonger() {
        assertThat(generate(new int[] {6}, GenerationConfig.greedy(3), EOS, PAD)[0]).containsExactly(6, 1, 2, 3);
        // penalty 0: 6 → 4 → eos (0.45 · 0.8 = 0.36) beats 6 → 1 → 2 → 3 (0.55 · 0.7 · 0.6 = 0.23)
        assertThat(generate(new int[] {6}, config(3, 0, 2, 0, false, 50, 1, 0), EOS, PAD)[0]).containsExactly(6, 4, 0);
        // penalty 1: log 0.36 / 2 = -0.51 loses to the hypothesis cut at the maximum length, log 0.23 / 3 = -0.49
        assertThat(generate(new int[] {6}, config(3, 0, 2, 1, false, 50, 1, 0), EOS, PAD)[0]).containsExactly(6, 1, 2, 3);
    }

    @Test
    void beamRowsArePaddedToTheLongestWithPadOrWithEosWhenPadIsZero() {
        GenerationConfig beams = config(3, 0, 2, 0, false, 50, 1, 0);
        int[][] padded = generate(new int[] {6, 4}, beams, EOS, PAD);
        assertThat(padded[0]).containsExactly(6, 4, 0);
        assertThat(padded[1]).containsExactly(4, 0, PAD);
        assertThat(generate(new int[] {6, 4}, beams, EOS, 0)[1]).containsExactly(4, 0, EOS);
    }

    @Test
    void beamSamplingIsReproducibleAndRefusesTooFewTokens() {
        GenerationConfig sampled = new GenerationConfig(4, 0, 2, 1.0, false, true, 0, 1.0, 1.0, 1.0, 9);
        assertThat(generate(new int[] {6, 1}, sampled, EOS, PAD)).isDeepEqualTo(generate(new int[] {6, 1}, sampled, EOS, PAD));
        GenerationConfig narrow = new GenerationConfig(4, 0, 2, 1.0, false, true, 2, 1.0, 1.0, 1.0, 9);
        assertThatThrownBy(() -> generate(new int[] {6}, narrow, EOS, PAD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("top-k");
    }

    @Test
    void badPromptShapesAreRefused() {
        assertThatThrownBy(() -> Generator.generate(new TableDecoder(), new int[] {1, 2, 3}, 2, 2, GenerationConfig.greedy(2), EOS, PAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt ids");
    }
}
