package dev.vireo.models.data;

/**
 * An axis-aligned rectangle in continuous pixel coordinates, x right and y down, where pixel
 * (x, y) covers [x, x + 1) × [y, y + 1): a box around pixels 3..5 of a row runs from 3 to 6. Used for
 * the true boxes of shapes and the boxes a grounding model predicts. A box may have zero width or
 * height; it never has negative ones.
 */
public record Box(double x0, double y0, double x1, double y1) {
    public Box {
        if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(x1) || !Double.isFinite(y1)) {
            throw new IllegalArgumentException("Box: coordinates must be finite, got " + x0 + ", " + y0 + ", " + x1 + ", " + y1);
        }
        if (x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("Box: need x0 <= x1 and y0 <= y1, got " + x0 + ", " + y0 + ", " + x1 + ", " + y1);
        }
    }

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double area() {
        return width() * height();
    }

    /**
     * This box, in the pixels of a {@code side}² image that was {@code window} of a larger one
     * (resized and cropped to it), in that larger image's pixels.
     */
    public Box fromWindow(Box window, double side) {
        double sx = window.width() / side, sy = window.height() / side;
        return new Box(window.x0 + x0 * sx, window.y0 + y0 * sy, window.x0 + x1 * sx, window.y0 + y1 * sy);
    }

    /** This box cut to the image [0, width] × [0, height]; a box wholly outside shrinks to a line on the border. */
    public Box clip(double width, double height) {
        return new Box(Math.clamp(x0, 0, width), Math.clamp(y0, 0, height), Math.clamp(x1, 0, width), Math.clamp(y1, 0, height));
    }
}
