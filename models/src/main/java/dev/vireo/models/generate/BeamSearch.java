package dev.vireo.models.generate;

import dev.vireo.engine.tensor.Rng;

import java.util.Arrays;

/**
 * Beam search as transformers 5.x computes it ({@code _beam_search}), per prompt with K beams, in
 * float as transformers keeps its scores. Each step: log-softmax of the logits, the processors
 * (and, when sampling, the warpers), plus each beam's running score; the 2K best continuations over
 * all K beams (or 2K drawn without replacement when sampling). Those that end (eos, or the maximum
 * length) among the first K are finished hypotheses scored sum / (generated length, eos included)
 * ^ lengthPenalty; the best K of the rest run on. A prompt stops changing once its K finished
 * hypotheses cannot be beaten: with {@code earlyStopping}, as soon as K are finished; without, when
 * the best running beam's score over its current length is no better than the worst finished one
 * (transformers' heuristic). The loop ends when every prompt has stopped or the maximum length is
 * reached. The result is the best hypothesis of each prompt, the prompt included, all rows as long
 * as the longest and filled with {@code pad}, or {@code eos} when pad is 0 or absent (transformers'
 * {@code pad_token_id or eos_token_id[0]} treats pad id 0 as no pad: BLIP's beams end in [SEP]s).
 */
final class BeamSearch {
    /** The large negative score transformers adds to rule a candidate out, in float as it does. */
    private static final float OUT = -1.0e9f;

    private BeamSearch() {}

    static int[][] run(Decoder decoder, int[] prompts, int batch, int promptLength, GenerationConfig config, int eosId, int padId) {
        int k = config.numBeams(), candidates = 2 * k, vocab = decoder.vocabSize();
        int maxLength = promptLength + config.maxNewTokens();
        int fill = eosId < 0 ? -1 : padId > 0 ? padId : eosId;
        Rng rng = new Rng(config.seed());

        int[][][] running = new int[batch][k][maxLength];     // running beams' tokens
        float[][] runningScores = new float[batch][k];         // their summed log-probabilities
        int[][][] finished = new int[batch][k][];              // the best finished hypotheses (placeholders first)
        float[][] finishedScores = new float[batch][k];
        boolean[][] isFinished = new boolean[batch][k];
        int[][] generated = new int[batch][k];                 // tokens after the prompt of each finished hypothesis
        boolean[] open = new boolean[batch];                   // transformers' is_early_stop_heuristic_unsatisfied
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < k; j++) {
                Arrays.fill(running[b][j], fill);
                System.arraycopy(prompts, b * promptLength, running[b][j], 0, promptLength);
                finished[b][j] = running[b][j].clone();
                runningScores[b][j] = j == 0 ? 0f : OUT; // only the first beam's tokens compete at the first step
                finishedScores[b][j] = OUT;
            }
            open[b] = true;
        }

        float[] logits = decoder.prefill(prompts, batch, promptLength); // (batch, V)
        int[] copies = new int[batch * k];
        for (int i = 0; i < copies.length; i++) copies[i] = i / k;
        decoder.select(copies); // every beam starts from its prompt's cache
        logits = expand(logits, batch, k, vocab); // (batch·K, V)

        int current = promptLength;
        while (true) {
            boolean allHit = true;
            int[] source = new int[batch * k];
            int[] nextTokens = new int[batch * k];
            for (int b = 0; b < batch; b++) {
                // scores of every continuation of every beam: log-softmax, processors, plus the beam's score
                float[] scores = new float[k * vocab];
                for (int j = 0; j < k; j++) {
                    int o = j * vocab;
                    System.arraycopy(logits, (b * k + j) * vocab, scores, o, vocab);
                    LogitsProcessing.logSoftmax(scores, o, vocab);
                    LogitsProcessing.process(scores, o, vocab, running[b][j], current, config, eosId);
                    if (config.doSample()) LogitsProcessing.warp(scores, o, vocab, config, 2);
                    for (int v = 0; v < vocab; v++) scores[o + v] += runningScores[b][j];
                }
                int[] top = config.doSample() ? drawWithoutReplacement(scores, candidates, rng) : topIndices(scores, candidates);
                float[] topScores = new float[candidates];
                int[][] topSequences = new int[candidates][];
                boolean[] hits = new boolean[candidates];
                for (int c = 0; c < candidates; c++) {
                    int beam = top[c] / vocab, token = top[c] % vocab;
                    topScores[c] = scores[top[c]];
                    topSequences[c] = running[b][beam].clone();
                    topSequences[c][current] = token;
                    hits[c] = token == eosId || current + 1 >= maxLength; // EosTokenCriteria, MaxLengthCriteria
                    allHit &= hits[c];
                }

                // the K best candidates that did not end run on
                float[] runKeys = new float[candidates];
                for (int c = 0; c < candidates; c++) runKeys[c] = topScores[c] + (hits[c] ? OUT : 0f);
                int[] keep = topIndices(runKeys, k);
                for (int i = 0; i < k; i++) {
                    int c = keep[i];
                    running[b][i] = topSequences[c];
                    runningScores[b][i] = runKeys[c];
                    source[b * k + i] = b * k + top[c] / vocab;
                    nextTokens[b * k + i] = topSequences[c][current];
                }

                // candidates among the first K that ended compete with the finished hypotheses
                boolean full = config.earlyStopping() && all(isFinished[b]);
                float lengthNorm = (float) Math.pow(current + 1 - promptLength, config.lengthPenalty());
                float[] mergedScores = new float[k + candidates];
                for (int j = 0; j < k; j++) mergedScores[j] = finishedScores[b][j];
                for (int c = 0; c < candidates; c++) {
                    float s = topScores[c] / lengthNorm;
                    s += full ? OUT : 0f;
                    s += open[b] ? 0f : OUT;
                    s += hits[c] && c < k ? 0f : OUT;
                    mergedScores[k + c] = s;
                }
                int[] best = topIndices(mergedScores, k);
                int[][] newFinished = new int[k][];
                float[] newScores = new float[k];
                boolean[] newIsFinished = new boolean[k];
                int[] newGenerated = new int[k];
                for (int i = 0; i < k; i++) {
                    int m = best[i];
                    newScores[i] = mergedScores[m];
                    if (m < k) {
                        newFinished[i] = finished[b][m];
                        newIsFinished[i] = isFinished[b][m];
                        newGenerated[i] = generated[b][m];
                    } else {
                        newFinished[i] = topSequences[m - k];
                        newIsFinished[i] = hits[m - k] && m - k < k;
                        newGenerated[i] = current + 1 - promptLength;
                    }
                }
                finished[b] = newFinished;
                finishedScores[b] = newScores;
                isFinished[b] = newIsFinished;
                generated[b] = newGenerated;
            }
            current++;

            // can any prompt still improve? (transformers' _check_early_stop_heuristic, early_stopping a boolean)
            boolean improvable = false, allFinished = true;
            float hypothetical = (float) Math.pow(current - promptLength, config.lengthPenalty());
            for (int b = 0; b < batch; b++) {
                float bestRunning = runningScores[b][0] / hypothetical;
                float worst = Float.POSITIVE_INFINITY;
                for (float s : finishedScores[b]) worst = Math.min(worst, s);
                boolean beatable = false;
                for (int j = 0; j < k; j++) beatable |= bestRunning > (isFinished[b][j] ? worst : OUT);
                open[b] &= beatable;
                improvable |= open[b];
                allFinished &= all(isFinished[b]);
            }
            boolean openBeam = !(allFinished && config.earlyStopping());
            if (!(improvable && openBeam && !allHit)) break;
            decoder.select(source);
            logits = decoder.step(nextTokens); // (batch·K, V)
        }

        int longest = 0;
        for (int b = 0; b < batch; b++) longest = Math.max(longest, generated[b][0]);
        int[][] out = new int[batch][];
        for (int b = 0; b < batch; b++) out[b] = Arrays.copyOf(finished[b][0], promptLength + longest);
        return out;
    }

    /** Each prompt's logits row repeated for its K beams: (batch, V) → (batch·K, V). */
    private static float[] expand(float[] logits, int batch, int k, int vocab) {
        float[] out = new float[batch * k * vocab];
        for (int r = 0; r < batch * k; r++) System.arraycopy(logits, (r / k) * vocab, out, r * vocab, vocab);
        return out;
    }

    /**
     * Indices of the n largest values, largest first; equal values in index order (torch.topk,
     * sorted). One pass keeping the best n by insertion: n is a few beams, the values K · V scores.
     */
    static int[] topIndices(float[] values, int n) {
        if (n > values.length) throw new IllegalArgumentException("generate: " + n + " best of " + values.length + " scores");
        int[] top = new int[n];
        int held = 0;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (held == n && !(v > values[top[n - 1]])) continue; // ties keep the earlier index
            int at = held < n ? held++ : n - 1;
            while (at > 0 && v > values[top[at - 1]]) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
        }
        return top;
    }

    /**
     * n indices drawn without replacement with probability softmax(scores) (torch.multinomial with
     * replacement=False, on our generator), in the order drawn.
     */
    static int[] drawWithoutReplacement(float[] scores, int n, Rng rng) {
        double[] p = LogitsProcessing.softmax(scores, 0, scores.length);
        int possible = 0;
        for (double v : p) if (v > 0) possible++;
        if (possible < n) {
            throw new IllegalArgumentException("generate: beam sampling draws " + n + " continuations but only " + possible
                    + " tokens are left after top-k/top-p (transformers fails here too): raise top-k or top-p");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int pick = Generator.draw(p, rng);
            out[i] = pick;
            double removed = p[pick];
            p[pick] = 0;
            for (int v = 0; v < p.length; v++) p[v] /= 1 - removed;
        }
        return out;
    }

    private static boolean all(boolean[] flags) {
        for (boolean f : flags) if (!f) return false;
        return true;
    }
}
