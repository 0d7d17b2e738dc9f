package dev.vireo.examples.plot;

import java.awt.Color;
import java.nio.file.Path;

/** A matrix as coloured cells (similarity matrices), with a colour bar, saved as PNG. */
public final class HeatMap {
    private HeatMap() {}

    /**
     * @param values row-major rows × cols
     */
    public static Path save(Path file, String title, float[] values, int rows, int cols, String rowLabel, String colLabel) {
        if (values.length != rows * cols) throw new IllegalArgumentException("heat map: " + values.length + " values for " + rows + " x " + cols);
        int cell = Math.max(2, Math.min(40, 560 / Math.max(rows, cols)));
        int left = 60, top = 40;
        int width = left + cols * cell + 110, height = top + rows * cell + 50;
        Canvas c = new Canvas(Math.max(width, 360), height);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(lo < hi)) hi = lo + 1;
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                c.g.setColor(colour((values[r * cols + col] - lo) / (hi - lo)));
                c.g.fillRect(left + col * cell, top + r * cell, cell, cell);
            }
        }
        c.title(title);
        c.g.setFont(Canvas.LABEL);
        c.g.setColor(Color.BLACK);
        c.centred(colLabel, left + cols * cell / 2, top + rows * cell + 20);
        c.g.rotate(-Math.PI / 2);
        c.centred(rowLabel, -(top + rows * cell / 2), left - 12);
        c.g.rotate(Math.PI / 2);
        int barX = left + cols * cell + 20, barH = Math.max(rows * cell, 100);
        for (int i = 0; i < barH; i++) {
            c.g.setColor(colour(1 - (double) i / barH));
            c.g.fillRect(barX, top + i, 16, 1);
        }
        c.g.setColor(Color.BLACK);
        c.g.drawString(Canvas.format(hi), barX + 20, top + 10);
        c.g.drawString(Canvas.format(lo), barX + 20, top + barH);
        return c.save(file);
    }

    /** A perceptually ordered ramp from dark blue through teal to yellow (viridis-like). */
    static Color colour(double t) {
        t = Math.max(0, Math.min(1, t));
        double[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        double pos = t * (stops.length - 1);
        int i = Math.min((int) pos, stops.length - 2);
        double f = pos - i;
        return new Color((int) (stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
                (int) (stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
                (int) (stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
    }
}
