package dev.vireo.models.eval;

import dev.vireo.models.data.Box;

/**
 * Turns a coarse heat map (a score per patch, e.g. 7×7 attention or Grad-CAM values of where a
 * phrase is) into a box in image pixels. A variant of the box read off class-activation maps
 * (Zhou et al., "Learning Deep Features for Discriminative Localization", CVPR 2016, who
 * threshold at 20% of the maximum and box the largest connected component); here the threshold is
 * relative to the map's range, so an offset in the scores changes nothing, and the component is
 * the one holding the maximum:
 * <ol>
 *   <li>upsample the map bilinearly to the image, cell centres at ((c + ½)·W/w − ½) as with
 *       PyTorch's {@code interpolate(align_corners=False)}, edges held constant;</li>
 *   <li>keep the pixels at or above min + fraction·(max − min) of the upsampled map;</li>
 *   <li>take the 4-connected component holding the upsampled maximum (the first, in row-major
 *       order, if it repeats) and return its pixel-aligned bounding box.</li>
 * </ol>
 * The score is the heat map's maximum. A constant map keeps every pixel: the whole image.
 */
public final class HeatMapBox {
    /** The threshold, as a fraction of the map's range above its minimum, unless a caller says otherwise. */
    public static final double DEFAULT_FRACTION = 0.5;

    private HeatMapBox() {}

    /** A predicted box in image pixels and the heat map's maximum. */
    public record Prediction(Box box, double score) {}

    /** {@link #predict(float[], int, int, int, int, double)} at {@link #DEFAULT_FRACTION}. */
    public static Prediction predict(float[] map, int gridHeight, int gridWidth, int imageHeight, int imageWidth) {
        return predict(map, gridHeight, gridWidth, imageHeight, imageWidth, DEFAULT_FRACTION);
    }

    /**
     * @param map      row-major {@code [gridHeight][gridWidth]} scores, higher where the phrase is; all finite
     * @param fraction where the threshold sits between the upsampled map's minimum (0) and maximum (1)
     * @throws IllegalArgumentException on a NaN or infinite score, naming its cell
     */
    public static Prediction predict(float[] map, int gridHeight, int gridWidth, int imageHeight, int imageWidth, double fraction) {
        if (gridHeight <= 0 || gridWidth <= 0) throw new IllegalArgumentException("heat map: grid must be positive, got " + gridHeight + " x " + gridWidth);
        if (imageHeight <= 0 || imageWidth <= 0) throw new IllegalArgumentException("heat map: image must be positive, got " + imageHeight + " x " + imageWidth);
        if (map.length != (long) gridHeight * gridWidth) {
            throw new IllegalArgumentException("heat map: " + map.length + " values for a " + gridHeight + " x " + gridWidth + " grid");
        }
        if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("heat map: threshold fraction must be in [0, 1], got " + fraction);
        double score = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < map.length; i++) {
            if (!Float.isFinite(map[i])) {
                throw new IllegalArgumentException("heat map: " + map[i] + " at cell " + i + " (row " + i / gridWidth + ", column " + i % gridWidth
                        + "); scores must be finite");
            }
            score = Math.max(score, map[i]);
        }
        double[] up = upsample(map, gridHeight, gridWidth, imageHeight, imageWidth); // [imageHeight, imageWidth]
        int peak = 0;
        double min = up[0];
        for (int i = 1; i < up.length; i++) {
            if (up[i] > up[peak]) peak = i;
            min = Math.min(min, up[i]);
        }
        double threshold = min + fraction * (up[peak] - min);
        return new Prediction(componentBox(up, imageHeight, imageWidth, peak, threshold), score);
    }

    /** Bilinear upsampling of a {@code [gh][gw]} grid to {@code [height][width]}, half-pixel centres, edges clamped. */
    static double[] upsample(float[] map, int gh, int gw, int height, int width) {
        double[] out = new double[height * width]; // [H, W]
        for (int y = 0; y < height; y++) {
            double sy = Math.clamp((y + 0.5) * gh / height - 0.5, 0, gh - 1); // source row, fractional
            int r0 = (int) sy;
            int r1 = Math.min(r0 + 1, gh - 1);
            double wy = sy - r0;
            for (int x = 0; x < width; x++) {
                double sx = Math.clamp((x + 0.5) * gw / width - 0.5, 0, gw - 1);
                int c0 = (int) sx;
                int c1 = Math.min(c0 + 1, gw - 1);
                double wx = sx - c0;
                double top = (1 - wx) * map[r0 * gw + c0] + wx * map[r0 * gw + c1];
                double bottom = (1 - wx) * map[r1 * gw + c0] + wx * map[r1 * gw + c1];
                out[y * width + x] = (1 - wy) * top + wy * bottom;
            }
        }
        return out;
    }

    /** Bounding box of the 4-connected pixels at or above {@code threshold} that hold {@code seed} (breadth-first). */
    private static Box componentBox(double[] values, int height, int width, int seed, double threshold) {
        boolean[] seen = new boolean[values.length];
        int[] queue = new int[values.length];
        int head = 0, tail = 0;
        queue[tail++] = seed;
        seen[seed] = true;
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        while (head < tail) {
            int p = queue[head++];
            int x = p % width, y = p / width;
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
            if (x > 0) tail = visit(values, seen, queue, tail, p - 1, threshold);
            if (x < width - 1) tail = visit(values, seen, queue, tail, p + 1, threshold);
            if (y > 0) tail = visit(values, seen, queue, tail, p - width, threshold);
            if (y < height - 1) tail = visit(values, seen, queue, tail, p + width, threshold);
        }
        return new Box(x0, y0, x1 + 1, y1 + 1);
    }

    /** Queues pixel {@code p} if it is new and at or above the threshold; returns the new queue end. */
    private static int visit(double[] values, boolean[] seen, int[] queue, int tail, int p, double threshold) {
        if (seen[p] || values[p] < threshold) return tail;
        seen[p] = true;
        queue[tail] = p;
        return tail + 1;
    }
}
