package dev.vireo.models.data.shapes;

/** The two sizes of the shapes world, as a radius relative to the image side. */
public enum ShapeSize {
    SMALL("small", 0.11),
    LARGE("large", 0.19);

    private final String word;
    private final double relativeRadius;

    ShapeSize(String word, double relativeRadius) {
        this.word = word;
        this.relativeRadius = relativeRadius;
    }

    public String word() {
        return word;
    }

    /** Radius as a fraction of the image side, before the per-shape jitter. */
    public double relativeRadius() {
        return relativeRadius;
    }
}
