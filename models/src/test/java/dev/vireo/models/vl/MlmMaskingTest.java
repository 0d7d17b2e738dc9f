package dev.vireo.models.vl;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BERT's 15% / 80-10-10 masking: the rates, the special tokens left alone, at least one target a row, the same draws for the same seed. */
class MlmMaskingTest {
    static final int PAD = 0, CLS = 2, SEP = 3, MASK = 4;
    final MlmMasking masking = new MlmMasking(MASK, 5, 30, new int[] {CLS, SEP, PAD}, 0.15);

    @Test
    void ratesAreBerts() {
        int rows = 4000, length = 12;
        int[] ids = new int[rows * length];
        for (int r = 0; r < rows; r++) {
            ids[r * length] = CLS;
            for (int t = 1; t < 10; t++) ids[r * length + t] = 5 + (r + t) % 25;
            ids[r * length + 10] = SEP;
            ids[r * length + 11] = PAD;
        }
        MlmMasking.Masked m = masking.mask(ids, rows, length, new Rng(1));
        int chosen = 0, masked = 0, kept = 0;
        for (int i = 0; i < ids.length; i++) {
            if (m.targets()[i] == Losses.IGNORE_INDEX) {
                assertThat(m.ids()[i]).isEqualTo(ids[i]);
                continue;
            }
            assertThat(m.targets()[i]).isEqualTo(ids[i]).isNotIn(CLS, SEP, PAD);
            chosen++;
            if (m.ids()[i] == MASK) masked++;
            else if (m.ids()[i] == ids[i]) kept++;
            assertThat(m.ids()[i]).isBetween(4, 29);
        }
        double eligible = rows * 9.0;
        // 15%, plus one token in each row that drew none (0.85^9 of rows): 0.15 + 0.85^9 / 9 = 0.176
        assertThat(chosen / eligible).isBetween(0.166, 0.186);
        assertThat(masked / (double) chosen).isBetween(0.77, 0.83);
        assertThat(kept / (double) chosen).isBetween(0.09, 0.13); // 10% kept, and 1 in 25 random picks the same token
        assertThat(m.count()).isEqualTo(chosen);
    }

    @Test
    void everyRowHasATargetAndTheSameSeedTheSameMasks() {
        int[] ids = {CLS, 7, SEP, PAD, CLS, 8, 9, SEP};
        for (long seed = 0; seed < 50; seed++) {
            MlmMasking.Masked m = masking.mask(ids, 2, 4, new Rng(seed));
            assertThat(m.targets()[1]).isEqualTo(7);
            assertThat(m.targets()[5] != Losses.IGNORE_INDEX || m.targets()[6] != Losses.IGNORE_INDEX).isTrue();
            assertThat(masking.mask(ids, 2, 4, new Rng(seed))).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void refusesARateOutsideZeroOne() {
        assertThatThrownBy(() -> new MlmMasking(MASK, 5, 30, new int[] {CLS}, 1.0)).hasMessageContaining("rate must be in (0, 1)");
    }
}
