package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Word-order negatives: the same words, two ordinary tokens of different ids swapped, every such pair drawn, specials never moved. */
class SwappedCaptionsTest {
    static final int PAD = 0, CLS = 2, SEP = 3;
    final SwappedCaptions swaps = new SwappedCaptions(new int[] {CLS, SEP, PAD});

    @Test
    void swapsTwoDifferentOrdinaryTokensAndReachesEveryPair() {
        int[] ids = {CLS, 7, 8, 7, 9, SEP, PAD, /* row 1 */ CLS, 7, 7, SEP, PAD, PAD, PAD};
        Set<String> seen = new HashSet<>();
        Rng rng = new Rng(4);
        for (int k = 0; k < 400; k++) {
            int[] s = swaps.swap(ids, 0, 7, rng);
            assertThat(s[0]).isEqualTo(CLS);
            assertThat(s[5]).isEqualTo(SEP);
            assertThat(s[6]).isEqualTo(PAD);
            int[] sortedA = Arrays.copyOf(s, 7), sortedB = Arrays.copyOfRange(ids, 0, 7);
            Arrays.sort(sortedA);
            Arrays.sort(sortedB);
            assertThat(sortedA).containsExactly(sortedB);                   // the same words
            assertThat(s).isNotEqualTo(Arrays.copyOfRange(ids, 0, 7));     // in another order
            seen.add(Arrays.toString(s));
        }
        assertThat(seen).hasSize(5); // pairs (1,2) (1,4) (2,3) (2,4) (3,4) give 5 distinct rows; (1,3) holds equal ids
        assertThat(swaps.swap(ids, 1, 7, rng)).isNull(); // "7 7": nothing to swap
    }
}
