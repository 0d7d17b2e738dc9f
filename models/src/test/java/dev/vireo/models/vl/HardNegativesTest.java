package dev.vireo.models.vl;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Hard negatives: never a matching pair, drawn in proportion to exp(score), uniform without scores, none when all match. */
class HardNegativesTest {
    @Test
    void drawsInProportionToTheSoftmaxAndNeverAMatch() {
        int n = 3;
        float[] scores = {9, 0, (float) Math.log(3), 0, 9, 0, 0, 0, 9}; // row 0: columns 1 and 2 weigh 1 : 3
        boolean[] matches = {true, false, false, false, true, true, false, false, true}; // row 1 may only draw column 0
        int[] counts = new int[n];
        Rng rng = new Rng(5);
        for (int k = 0; k < 20000; k++) {
            int[] d = HardNegatives.draw(scores, matches, n, rng);
            counts[d[0]]++;
            assertThat(d[1]).isZero();
            assertThat(d[2]).isIn(0, 1);
        }
        assertThat(counts[0]).isZero();
        assertThat(counts[2] / 20000.0).isBetween(0.73, 0.77);
    }

    @Test
    void uniformWithoutScoresAndNoneWhenEverythingMatches() {
        boolean[] matches = {true, false, false, true, true, true, false, false, true};
        int[] counts = new int[3];
        Rng rng = new Rng(6);
        for (int k = 0; k < 20000; k++) {
            int[] d = HardNegatives.draw(null, matches, 3, rng);
            counts[d[0]]++;
            assertThat(d[1]).isEqualTo(-1);
        }
        assertThat(counts[1] / 20000.0).isBetween(0.48, 0.52);
        assertThat(HardNegatives.draw(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, new boolean[4], 2, rng)).containsExactly(-1, -1);
    }
}
