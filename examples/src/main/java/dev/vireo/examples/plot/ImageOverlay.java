package dev.vireo.examples.plot;

import dev.vireo.models.data.Box;
import dev.vireo.models.image.RgbImage;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

/**
 * Heat maps over a picture (where a model looked), saved as PNG: panels side by side, each the
 * picture with a coarse map upsampled bilinearly over the part of it the model saw, blended in the
 * viridis-like ramp of {@link HeatMap}, an optional box drawn as a rectangle, and a caption under
 * it. The part of the picture the model did not see is dimmed. Each map is scaled to its own range.
 */
public final class ImageOverlay {
    /** How opaque the map is over the picture. */
    static final double ALPHA = 0.55;
    /** The longer side of a panel's picture, in PNG pixels. */
    static final int SIDE = 224;
    private static final int GAP = 10, CAPTION = 22, TOP = 36;

    private ImageOverlay() {}

    /**
     * One panel.
     *
     * @param map    row-major {@code [gridHeight][gridWidth]} scores, or null for the picture alone
     * @param window the part of the picture the map covers, in picture pixels
     * @param box    a box to draw in picture pixels, or null
     */
    public record Panel(String caption, float[] map, int gridHeight, int gridWidth, Box window, Box box) {
        public Panel {
            if (map != null && map.length != gridHeight * gridWidth) {
                throw new IllegalArgumentException("overlay: " + map.length + " values for a " + gridHeight + " x " + gridWidth + " grid");
            }
        }
    }

    /** Panels in rows of at most {@code columns}, under a title. */
    public static Path save(Path file, String title, RgbImage picture, List<Panel> panels, int columns) {
        if (panels.isEmpty()) throw new IllegalArgumentException("overlay: no panels");
        double scale = (double) SIDE / Math.max(picture.width(), picture.height());
        int w = Math.max(1, (int) Math.round(picture.width() * scale)), h = Math.max(1, (int) Math.round(picture.height() * scale));
        int cols = Math.min(columns, panels.size()), rows = (panels.size() + cols - 1) / cols;
        // a bold 15 px title takes about 8 px a character
        Canvas c = new Canvas(Math.max(GAP + cols * (w + GAP), Math.max(320, 8 * title.length() + 2 * GAP)), TOP + rows * (h + CAPTION + GAP));
        c.title(title);
        for (int i = 0; i < panels.size(); i++) {
            int x = GAP + (i % cols) * (w + GAP), y = TOP + (i / cols) * (h + CAPTION + GAP);
            draw(c, picture, panels.get(i), x, y, w, h, scale);
        }
        return c.save(file);
    }

    private static void draw(Canvas c, RgbImage picture, Panel p, int left, int top, int w, int h, double scale) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        if (p.map() != null) {
            for (float v : p.map()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double range = hi > lo ? hi - lo : 1;
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                double ix = (px + 0.5) / scale, iy = (py + 0.5) / scale; // picture coordinates of the pixel centre
                int sx = Math.min(picture.width() - 1, (int) ix), sy = Math.min(picture.height() - 1, (int) iy);
                double r = picture.get(sx, sy, 0), g = picture.get(sx, sy, 1), b = picture.get(sx, sy, 2);
                Box win = p.window();
                boolean seen = ix >= win.x0() && ix < win.x1() && iy >= win.y0() && iy < win.y1();
                if (p.map() != null && seen) {
                    double u = (ix - win.x0()) / win.width() * p.gridWidth(), v = (iy - win.y0()) / win.height() * p.gridHeight();
                    Color m = HeatMap.colour((bilinear(p.map(), p.gridHeight(), p.gridWidth(), v, u) - lo) / range);
                    r = (1 - ALPHA) * r + ALPHA * m.getRed();
                    g = (1 - ALPHA) * g + ALPHA * m.getGreen();
                    b = (1 - ALPHA) * b + ALPHA * m.getBlue();
                } else if (!seen) {
                    r *= 0.4;
                    g *= 0.4;
                    b *= 0.4;
                }
                c.image.setRGB(left + px, top + py, (int) r << 16 | (int) g << 8 | (int) b);
            }
        }
        if (p.box() != null) {
            Box box = p.box();
            c.g.setStroke(new BasicStroke(2f));
            c.g.setColor(Color.RED);
            c.g.drawRect(left + (int) Math.round(box.x0() * scale), top + (int) Math.round(box.y0() * scale),
                    (int) Math.round(box.width() * scale), (int) Math.round(box.height() * scale));
        }
        c.g.setFont(Canvas.LABEL);
        c.g.setColor(Color.BLACK);
        c.centred(fitted(c, p.caption(), w), left + w / 2, top + h + 16);
    }

    /** {@code text} cut to {@code width} pixels with an ellipsis if it is wider. */
    private static String fitted(Canvas c, String text, int width) {
        var metrics = c.g.getFontMetrics();
        if (metrics.stringWidth(text) <= width) return text;
        String cut = text;
        while (!cut.isEmpty() && metrics.stringWidth(cut + "…") > width) cut = cut.substring(0, cut.length() - 1);
        return cut + "…";
    }

    /** The map at grid coordinates (v, u) in cells, cell centres at +½, edges held constant (as HeatMapBox upsamples). */
    static double bilinear(float[] map, int gh, int gw, double v, double u) {
        double sy = Math.clamp(v - 0.5, 0, gh - 1), sx = Math.clamp(u - 0.5, 0, gw - 1);
        int r0 = (int) sy, c0 = (int) sx, r1 = Math.min(r0 + 1, gh - 1), c1 = Math.min(c0 + 1, gw - 1);
        double wy = sy - r0, wx = sx - c0;
        double top = (1 - wx) * map[r0 * gw + c0] + wx * map[r0 * gw + c1];
        double bottom = (1 - wx) * map[r1 * gw + c0] + wx * map[r1 * gw + c1];
        return (1 - wy) * top + wy * bottom;
    }
}
