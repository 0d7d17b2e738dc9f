package dev.vireo.models.eval;

import dev.vireo.models.data.Box;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grounding metrics: the intersection over union of two boxes, and the accuracy of predicted boxes
 * as the fraction whose IoU with the true box reaches a threshold (Acc@0.5, the usual figure for
 * referring expressions, e.g. RefCOCO), with the mean IoU beside it.
 */
public final class GroundingMetrics {
    /** The IoU a prediction needs to count, unless a caller says otherwise. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private GroundingMetrics() {}

    /** Fractions in [0, 1] over {@code count} pairs; a pair counts if its IoU is at least {@code threshold}. */
    public record Result(double accuracy, double meanIou, double threshold, int count) {
        /** For metrics.json: {@code accuracy}, {@code mean_iou}, {@code iou_threshold}, {@code count}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accuracy", accuracy);
            m.put("mean_iou", meanIou);
            m.put("iou_threshold", threshold);
            m.put("count", count);
            return m;
        }
    }

    /** |a ∩ b| / |a ∪ b|; 0 when the union has no area (two boxes of zero area). */
    public static double iou(Box a, Box b) {
        double w = Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0());
        double h = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
        double intersection = w > 0 && h > 0 ? w * h : 0;
        double union = a.area() + b.area() - intersection;
        return union > 0 ? intersection / union : 0;
    }

    /**
     * Accuracy at {@code threshold} (in (0, 1]) and mean IoU of {@code predicted.get(n)} against
     * {@code truth.get(n)}. No pairs give 0.
     */
    public static Result evaluate(List<Box> predicted, List<Box> truth, double threshold) {
        if (predicted.size() != truth.size()) {
            throw new IllegalArgumentException("grounding: " + predicted.size() + " predicted boxes for " + truth.size() + " true ones");
        }
        if (!(threshold > 0 && threshold <= 1)) throw new IllegalArgumentException("grounding: IoU threshold must be in (0, 1], got " + threshold);
        int n = predicted.size();
        if (n == 0) return new Result(0, 0, threshold, 0);
        int hits = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double iou = iou(predicted.get(i), truth.get(i));
            if (iou >= threshold) hits++;
            sum += iou;
        }
        return new Result((double) hits / n, sum / n, threshold, n);
    }
}
