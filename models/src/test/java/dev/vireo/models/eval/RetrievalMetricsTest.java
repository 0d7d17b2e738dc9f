package dev.vireo.models.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RetrievalMetricsTest {

    @Test
    void perfectRetrievalScoresOne() {
        // 3 images, 6 texts: two captions each, similarity 1 for matching pairs
        int[] textImage = {0, 0, 1, 1, 2, 2};
        float[] s = new float[3 * 6];
        for (int t = 0; t < 6; t++) s[textImage[t] * 6 + t] = 1f;
        RetrievalMetrics.Result r = RetrievalMetrics.compute(s, 3, 6, textImage);
        assertThat(r.imageToText().r1()).isEqualTo(1.0);
        assertThat(r.imageToText().map()).isEqualTo(1.0);
        assertThat(r.textToImage().mrr()).isEqualTo(1.0);
        assertThat(r.textToImage().medianRank()).isEqualTo(1.0);
    }

    @Test
    void handComputedRanks() {
        // 2 images, 3 texts; text 0,1 → image 0; text 2 → image 1
        float[] s = {
                0.1f, 0.9f, 0.5f,   // image 0 ranks texts: 1 (rank 1), 2 (rank 2), 0 (rank 3)
                0.8f, 0.2f, 0.3f};  // image 1 ranks texts: 0, 2 (rank 2), 1
        int[] textImage = {0, 0, 1};
        RetrievalMetrics.Result r = RetrievalMetrics.compute(s, 2, 3, textImage);
        // image 0: relevant ranks {1, 3} → first 1, AP = (1/1 + 2/3)/2; image 1: relevant rank {2} → AP 1/2
        assertThat(r.imageToText().r1()).isEqualTo(0.5);
        assertThat(r.imageToText().r5()).isEqualTo(1.0);
        assertThat(r.imageToText().mrr()).isCloseTo((1 + 0.5) / 2, within(1e-12));
        assertThat(r.imageToText().map()).isCloseTo(((1 + 2.0 / 3) / 2 + 0.5) / 2, within(1e-12));
        // text 0: image 0 scores 0.1 vs 0.8 → rank 2; text 1: 0.9 vs 0.2 → 1; text 2: image 1 0.3 vs 0.5 → 2
        assertThat(r.textToImage().r1()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.textToImage().mrr()).isCloseTo((0.5 + 1 + 0.5) / 3, within(1e-12));
        assertThat(r.textToImage().medianRank()).isEqualTo(2.0);
    }

    @Test
    void zeroShotTopK() {
        float[] scores = {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f};
        assertThat(ZeroShotMetrics.topK(scores, 2, 3, new int[] {1, 2}, 1)).isEqualTo(0.5);
        assertThat(ZeroShotMetrics.topK(scores, 2, 3, new int[] {1, 2}, 2)).isEqualTo(0.5);
        assertThat(ZeroShotMetrics.topK(scores, 2, 3, new int[] {1, 2}, 3)).isEqualTo(1.0);
        assertThat(ZeroShotMetrics.argmax(scores, 2, 3)).containsExactly(1, 0);
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> RetrievalMetrics.compute(new float[5], 2, 3, new int[] {0, 0, 1}))
                .hasMessageContaining("expected 2 x 3");
        assertThatThrownBy(() -> RetrievalMetrics.compute(new float[6], 2, 3, new int[] {0, 0, 7}))
                .hasMessageContaining("text 2 points at image 7");
    }
}
