package dev.vireo.models.data.shapes;

import dev.vireo.models.data.Box;

/**
 * One shape of a scene: its attributes (the labels for zero-shot evaluation) and its geometry in
 * pixels (centre and radius, after jitter).
 */
public record PlacedShape(ShapeKind kind, ShapeColour colour, ShapeSize size, ShapePosition position,
                          double centreX, double centreY, double radius) {

    /** "small red circle". */
    public String phrase() {
        return size.word() + " " + colour.word() + " " + kind.word();
    }

    /** "red circle". */
    public String shortPhrase() {
        return colour.word() + " " + kind.word();
    }

    /**
     * The shape's box in pixels on an {@code imageSize}² image: the smallest pixel-aligned box
     * holding every pixel {@link ShapeRasterizer} paints for it (by the same 4×4 supersampling), so
     * it is clipped to the image and within a pixel of the shape's true extent.
     *
     * @throws IllegalArgumentException if the shape paints no pixel of the image
     */
    public Box box(int imageSize) {
        return ShapeRasterizer.paintedBox(this, imageSize);
    }
}
