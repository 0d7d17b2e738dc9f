package dev.vireo.models.data.shapes;

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
}
