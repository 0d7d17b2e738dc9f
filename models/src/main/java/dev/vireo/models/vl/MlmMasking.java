package dev.vireo.models.vl;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.tensor.Rng;

/**
 * BERT's masking for masked language modelling (Devlin et al. 2019, as ALBEF applies it): each
 * token other than [CLS], [SEP] and [PAD] is chosen with probability {@code rate}; a chosen token
 * becomes [MASK] 80% of the time, a random ordinary token 10%, and stays itself 10%. A row where
 * nothing was chosen gets one token chosen at random, so every caption teaches something.
 */
public final class MlmMasking {
    private final int maskId;
    private final int firstOrdinaryId;
    private final int vocabSize;
    private final int[] specialIds;
    private final double rate;

    /**
     * @param firstOrdinaryId the lowest id a random replacement may take (the special tokens sit below it)
     * @param specialIds      ids never chosen ([CLS], [SEP], [PAD], ...)
     */
    public MlmMasking(int maskId, int firstOrdinaryId, int vocabSize, int[] specialIds, double rate) {
        if (!(rate > 0 && rate < 1)) throw new IllegalArgumentException("MLM masking: rate must be in (0, 1), got " + rate);
        if (firstOrdinaryId >= vocabSize) throw new IllegalArgumentException("MLM masking: no ordinary token in a vocabulary of " + vocabSize);
        this.maskId = maskId;
        this.firstOrdinaryId = firstOrdinaryId;
        this.vocabSize = vocabSize;
        this.specialIds = specialIds.clone();
        this.rate = rate;
    }

    /** The masked ids (B·T) and, per position, the id to predict or {@link Losses#IGNORE_INDEX}. */
    public record Masked(int[] ids, int[] targets) {
        /** How many positions are to be predicted. */
        public int count() {
            int n = 0;
            for (int t : targets) if (t != Losses.IGNORE_INDEX) n++;
            return n;
        }
    }

    /** Masks ids (B·T, row-major) with draws from {@code rng}. */
    public Masked mask(int[] ids, int batch, int length, Rng rng) {
        int[] out = ids.clone();
        int[] targets = new int[ids.length];
        java.util.Arrays.fill(targets, Losses.IGNORE_INDEX);
        for (int b = 0; b < batch; b++) {
            int chosen = 0, eligible = 0;
            for (int t = 0; t < length; t++) {
                int at = b * length + t;
                if (special(ids[at])) continue;
                eligible++;
                if (rng.nextDouble() < rate) {
                    corrupt(out, targets, at, ids[at], rng);
                    chosen++;
                }
            }
            if (chosen == 0 && eligible > 0) {
                int pick = rng.nextInt(eligible);
                for (int t = 0; t < length; t++) {
                    int at = b * length + t;
                    if (!special(ids[at]) && pick-- == 0) corrupt(out, targets, at, ids[at], rng);
                }
            }
        }
        return new Masked(out, targets);
    }

    private void corrupt(int[] out, int[] targets, int at, int id, Rng rng) {
        targets[at] = id;
        double r = rng.nextDouble();
        if (r < 0.8) out[at] = maskId;
        else if (r < 0.9) out[at] = firstOrdinaryId + rng.nextInt(vocabSize - firstOrdinaryId);
    }

    private boolean special(int id) {
        for (int s : specialIds) if (s == id) return true;
        return false;
    }
}
