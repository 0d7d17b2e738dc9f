package dev.vireo.models.data.shapes;

import dev.vireo.models.data.Box;

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

    /**
     * The smallest pixel-aligned box holding every pixel that {@link #renderRgb} paints for
     * {@code shape} on a {@code size}² image (any of the 16 sample points covered), in pixel
     * coordinates where pixel x covers [x, x + 1).
     *
     * @throws IllegalArgumentException if the shape paints no pixel of the image
     */
    static Box paintedBox(PlacedShape shape, int size) {
        int[] range = pixelRange(shape, size);
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int y = range[1]; y <= range[3]; y++) {
            for (int x = range[0]; x <= range[2]; x++) {
                if (coverage(shape, x, y) == 0) continue;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x);
                y1 = Math.max(y1, y);
            }
        }
        if (x1 < 0) throw new IllegalArgumentException("ShapeRasterizer: " + shape + " paints no pixel of a " + size + "² image");
        return new Box(x0, y0, x1 + 1, y1 + 1);
    }

    private static void paint(double[] pixels, int size, PlacedShape shape) {
        int[] range = pixelRange(shape, size);
        for (int y = range[1]; y <= range[3]; y++) {
            for (int x = range[0]; x <= range[2]; x++) {
                int inside = coverage(shape, x, y);
                if (inside == 0) continue;
                double alpha = inside / (double) (SUB * SUB);
                int at = (y * size + x) * 3;
                for (int c = 0; c < 3; c++) pixels[at + c] += alpha * (shape.colour().channel(c) - pixels[at + c]);
            }
        }
    }

    /** The pixels that may be covered, {x0, y0, x1, y1} inclusive: the square of side 2·radius around the centre, clipped. */
    private static int[] pixelRange(PlacedShape shape, int size) {
        double r = shape.radius();
        return new int[] {
                Math.max(0, (int) Math.floor(shape.centreX() - r)),
                Math.max(0, (int) Math.floor(shape.centreY() - r)),
                Math.min(size - 1, (int) Math.ceil(shape.centreX() + r)),
                Math.min(size - 1, (int) Math.ceil(shape.centreY() + r))};
    }

    /** How many of pixel (x, y)'s SUB × SUB sample points the shape covers, 0..16. */
    private static int coverage(PlacedShape shape, int x, int y) {
        double r = shape.radius();
        int inside = 0;
        for (int sy = 0; sy < SUB; sy++) {
            double v = (y + (sy + 0.5) / SUB - shape.centreY()) / r;
            for (int sx = 0; sx < SUB; sx++) {
                double u = (x + (sx + 0.5) / SUB - shape.centreX()) / r;
                if (shape.kind().covers(u, v)) inside++;
            }
        }
        return inside;
    }
}
