package dev.vireo.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Path2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Line plots (loss curves, accuracy against a setting) saved as PNG. */
public final class LinePlot {
    private record Series(String name, double[] x, double[] y) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logX;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a named series; x and y must have the same length. */
    public LinePlot add(String name, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("plot series " + name + ": " + x.length + " x values, " + y.length + " y values");
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** Logarithmic x axis (for batch sizes, temperatures). */
    public LinePlot logX() {
        this.logX = true;
        return this;
    }

    public Path save(Path file) {
        Canvas c = new Canvas(720, 440);
        int left = 70, right = 690, top = 40, bottom = 380;
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.y[i])) continue;
                double xv = tx(s.x[i]);
                x0 = Math.min(x0, xv);
                x1 = Math.max(x1, xv);
                y0 = Math.min(y0, s.y[i]);
                y1 = Math.max(y1, s.y[i]);
            }
        }
        if (!(x0 < x1)) { x0 -= 1; x1 += 1; }
        if (!(y0 < y1)) { y0 -= 1; y1 += 1; }
        double pad = (y1 - y0) * 0.05;
        y0 -= pad;
        y1 += pad;
        c.title(title);
        c.g.setFont(Canvas.LABEL);
        for (int i = 0; i <= 5; i++) {
            int py = bottom - (bottom - top) * i / 5;
            c.g.setColor(Canvas.GRID);
            c.g.drawLine(left, py, right, py);
            c.g.setColor(Color.DARK_GRAY);
            String label = Canvas.format(y0 + (y1 - y0) * i / 5);
            c.g.drawString(label, left - 8 - c.g.getFontMetrics().stringWidth(label), py + 4);
            int px = left + (right - left) * i / 5;
            double xv = x0 + (x1 - x0) * i / 5;
            c.centred(Canvas.format(logX ? Math.pow(10, xv) : xv), px, bottom + 18);
        }
        c.g.setColor(Color.BLACK);
        c.g.drawRect(left, top, right - left, bottom - top);
        c.centred(xLabel, (left + right) / 2, bottom + 40);
        c.g.rotate(-Math.PI / 2);
        c.centred(yLabel, -(top + bottom) / 2, 18);
        c.g.rotate(Math.PI / 2);
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            Color col = Canvas.PALETTE[si % Canvas.PALETTE.length];
            c.g.setColor(col);
            c.g.setStroke(new BasicStroke(2f));
            Path2D path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.y[i])) continue;
                double px = left + (tx(s.x[i]) - x0) / (x1 - x0) * (right - left);
                double py = bottom - (s.y[i] - y0) / (y1 - y0) * (bottom - top);
                if (!started) path.moveTo(px, py);
                else path.lineTo(px, py);
                started = true;
                if (s.x.length <= 30) c.g.fillOval((int) px - 3, (int) py - 3, 6, 6);
            }
            c.g.draw(path);
            c.g.fillRect(right - 150, top + 10 + si * 18, 14, 4);
            c.g.setColor(Color.BLACK);
            c.g.drawString(s.name, right - 130, top + 16 + si * 18);
        }
        return c.save(file);
    }

    private double tx(double x) {
        return logX ? Math.log10(x) : x;
    }
}
