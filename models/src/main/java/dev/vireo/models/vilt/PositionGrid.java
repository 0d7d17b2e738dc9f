package dev.vireo.models.vilt;

/**
 * ViLT's learned patch positions resized to an image's patch grid: the G x G grid of
 * {@code position_embeddings} rows 1..G² (row 0 is the [CLS] token's) resampled to rows x cols as
 * torch's {@code interpolate(mode="bilinear", align_corners=True)} does (source coordinate
 * j · (G - 1) / (n - 1), the two neighbours weighted by the fractional part), in double.
 */
final class PositionGrid {
    private PositionGrid() {}

    /**
     * @param table (1 + G², C) row-major: the [CLS] position, then the grid row-major
     * @return (rows · cols, C) row-major over the new grid
     */
    static float[] resize(float[] table, int c, int g, int rows, int cols) {
        int[] y0 = new int[rows], y1 = new int[rows], x0 = new int[cols], x1 = new int[cols];
        double[] wy = new double[rows], wx = new double[cols];
        taps(g, rows, y0, y1, wy);
        taps(g, cols, x0, x1, wx);
        float[] out = new float[rows * cols * c]; // (rows·cols, C)
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int o = (i * cols + j) * c;
                int a = cell(y0[i], x0[j], g, c), b = cell(y0[i], x1[j], g, c), d = cell(y1[i], x0[j], g, c), e = cell(y1[i], x1[j], g, c);
                double ly = wy[i], lx = wx[j];
                for (int k = 0; k < c; k++) {
                    double top = (1 - lx) * table[a + k] + lx * table[b + k];
                    double bottom = (1 - lx) * table[d + k] + lx * table[e + k];
                    out[o + k] = (float) ((1 - ly) * top + ly * bottom);
                }
            }
        }
        return out;
    }

    /** Offset in the table of grid cell (y, x), past the [CLS] row. */
    private static int cell(int y, int x, int g, int c) {
        return (1 + y * g + x) * c;
    }

    /** For each of n outputs: the lower and upper source index and the upper one's weight (torch's linear indices and lambdas). */
    private static void taps(int in, int n, int[] lo, int[] hi, double[] weight) {
        double scale = n > 1 ? (double) (in - 1) / (n - 1) : 0;
        for (int j = 0; j < n; j++) {
            double source = scale * j;
            int i0 = Math.min((int) source, in - 1);
            lo[j] = i0;
            hi[j] = i0 < in - 1 ? i0 + 1 : i0;
            weight[j] = Math.min(Math.max(source - i0, 0), 1);
        }
    }
}
