package dev.vireo.models.data.shapes;

/**
 * Where a shape sits, as a region centre relative to the image side, with the word for answers
 * ("left") and the phrase for captions ("on the left").
 */
public enum ShapePosition {
    LEFT("left", "on the left", 0.27, 0.5),
    RIGHT("right", "on the right", 0.73, 0.5),
    TOP("top", "at the top", 0.5, 0.27),
    BOTTOM("bottom", "at the bottom", 0.5, 0.73),
    CENTRE("centre", "in the centre", 0.5, 0.5);

    private final String word;
    private final String phrase;
    private final double x;
    private final double y;

    ShapePosition(String word, String phrase, double x, double y) {
        this.word = word;
        this.phrase = phrase;
        this.x = x;
        this.y = y;
    }

    public String word() {
        return word;
    }

    public String phrase() {
        return phrase;
    }

    /** Region centre, x relative to the image width. */
    public double x() {
        return x;
    }

    /** Region centre, y relative to the image height (down). */
    public double y() {
        return y;
    }
}
