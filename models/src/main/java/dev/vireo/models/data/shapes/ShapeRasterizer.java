package dev.vireo.models.data.shapes;

import java.util.List;

/**
 * Renders shapes onto a flat background with antialiasing by 4×4 supersampling: each pixel's
 * coverage is the fraction of its 16 sample points inside the shape, and the colour is blended by
 * that coverage. Pure double arithmetic in a fixed order, so the same scene gives the same bytes on
 * every machine and JDK (java.awt's antialiasing is not specified that tightly).
 */
public final class ShapeRasterizer {
    /** Background colour, a dark grey every shape colour stands out from. */
    public static final int[] BACKGROUND = {28, 28, 32};
    private static final int SUB = 4;

    private ShapeRasterizer() {}

    /** RGB bytes, row-major, interleaved: {@code [y][x][c]}, length size*size*3. */
    public static byte[] renderRgb(List<PlacedShape> shapes, int size) {
        double[] pixels = new double[size * size * 3]; // [H, W, 3]
        for (int i = 0; i < size * size; i++) {
            for (int c = 0; c < 3; c++) pixels[i * 3 + c] = BACKGROUND[c];
        }
        for (PlacedShape shape : shapes) paint(pixels, size, shape);
        byte[] out = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) out[i] = (byte) Math.clamp(Math.round(pixels[i]), 0, 255);
        return out;
    }

    private static void paint(double[] pixels, int size, PlacedShape shape) {
        double r = shape.radius();
        int x0 = Math.max(0, (int) Math.floor(shape.centreX() - r));
        int x1 = Math.min(size - 1, (int) Math.ceil(shape.centreX() + r));
        int y0 = Math.max(0, (int) Math.floor(shape.centreY() - r));
        int y1 = Math.min(size - 1, (int) Math.ceil(shape.centreY() + r));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int inside = 0;
                for (int sy = 0; sy < SUB; sy++) {
                    double v = (y + (sy + 0.5) / SUB - shape.centreY()) / r;
                    for (int sx = 0; sx < SUB; sx++) {
                        double u = (x + (sx + 0.5) / SUB - shape.centreX()) / r;
                        if (shape.kind().covers(u, v)) inside++;
                    }
                }
                if (inside == 0) continue;
                double alpha = inside / (double) (SUB * SUB);
                int at = (y * size + x) * 3;
                for (int c = 0; c < 3; c++) pixels[at + c] += alpha * (shape.colour().channel(c) - pixels[at + c]);
            }
        }
    }
}
