package dev.vireo.models.eval;

import dev.vireo.models.data.Box;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GroundingMetricsTest {
    private static final Box A = new Box(0, 0, 2, 2);

    @Test
    void iouOfHandDrawnBoxes() {
        assertThat(GroundingMetrics.iou(A, A)).isEqualTo(1.0);
        assertThat(GroundingMetrics.iou(A, new Box(1, 0, 3, 2))).isCloseTo(2.0 / 6, within(1e-15));     // half shifted
        assertThat(GroundingMetrics.iou(new Box(0, 0, 4, 4), new Box(1, 1, 3, 3))).isEqualTo(0.25);     // nested
        assertThat(GroundingMetrics.iou(A, new Box(0, 0, 2, 1))).isEqualTo(0.5);
        assertThat(GroundingMetrics.iou(A, new Box(2, 0, 4, 2))).isZero();                              // edges touch
        assertThat(GroundingMetrics.iou(A, new Box(5, 5, 6, 6))).isZero();                              // apart
        assertThat(GroundingMetrics.iou(new Box(1, 1, 1, 1), new Box(1, 1, 1, 1))).isZero();            // no area at all
        assertThat(GroundingMetrics.iou(new Box(1.5, 0.25, 7, 3), A)).isEqualTo(GroundingMetrics.iou(A, new Box(1.5, 0.25, 7, 3)));
    }

    @Test
    void accuracyCountsPairsAtOrAboveTheThreshold() {
        List<Box> predicted = List.of(A, new Box(1, 0, 3, 2), new Box(0, 0, 2, 1), new Box(5, 5, 6, 6));
        List<Box> truth = List.of(A, A, A, A);
        // IoU 1, 1/3, 1/2 (counts: the threshold is inclusive), 0
        GroundingMetrics.Result r = GroundingMetrics.evaluate(predicted, truth, 0.5);
        assertThat(r.accuracy()).isEqualTo(0.5);
        assertThat(r.meanIou()).isCloseTo((1 + 1.0 / 3 + 0.5) / 4, within(1e-15));
        assertThat(r.count()).isEqualTo(4);
        assertThat(GroundingMetrics.evaluate(predicted, truth, 0.3).accuracy()).isEqualTo(0.75);
        assertThat(GroundingMetrics.evaluate(predicted, truth, 1.0).accuracy()).isEqualTo(0.25);
        assertThat(r.toMap()).containsExactly(Map.entry("accuracy", 0.5), Map.entry("mean_iou", r.meanIou()),
                Map.entry("iou_threshold", 0.5), Map.entry("count", 4));
        assertThat(GroundingMetrics.evaluate(List.of(), List.of(), 0.5)).isEqualTo(new GroundingMetrics.Result(0, 0, 0.5, 0));
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> GroundingMetrics.evaluate(List.of(A), List.of(), 0.5)).hasMessageContaining("1 predicted boxes for 0");
        assertThatThrownBy(() -> GroundingMetrics.evaluate(List.of(A), List.of(A), 0)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> GroundingMetrics.evaluate(List.of(A), List.of(A), Double.NaN)).hasMessageContaining("threshold");
    }
}
