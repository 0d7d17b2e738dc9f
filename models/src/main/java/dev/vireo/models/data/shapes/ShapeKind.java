package dev.vireo.models.data.shapes;

/**
 * The shapes of the built-in shapes world, each defined by a coverage test in unit coordinates:
 * centre (0, 0), radius 1, y pointing down as in images. No rotation: a rotated square would be
 * a diamond, and the names must stay unambiguous.
 */
public enum ShapeKind {
    CIRCLE("circle"),
    SQUARE("square"),
    TRIANGLE("triangle"),
    DIAMOND("diamond"),
    STAR("star");

    private static final double[] STAR_X = new double[10];
    private static final double[] STAR_Y = new double[10];

    static {
        // five outer points at radius 1 alternating with five inner ones at 0.45, first point up
        for (int i = 0; i < 10; i++) {
            double radius = i % 2 == 0 ? 1.0 : 0.45;
            double angle = -Math.PI / 2 + i * Math.PI / 5;
            STAR_X[i] = radius * Math.cos(angle);
            STAR_Y[i] = radius * Math.sin(angle);
        }
    }

    private final String word;

    ShapeKind(String word) {
        this.word = word;
    }

    /** The noun used in captions and questions. */
    public String word() {
        return word;
    }

    /** Whether the point ({@code u}, {@code v}) lies inside the unit-radius shape. */
    public boolean covers(double u, double v) {
        return switch (this) {
            case CIRCLE -> u * u + v * v <= 1.0;
            case SQUARE -> Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
            // equilateral, apex up: vertices (0, -1), (±0.866, 0.5)
            case TRIANGLE -> v <= 0.5 && v >= -1.0 + Math.sqrt(3.0) * Math.abs(u);
            case DIAMOND -> Math.abs(u) + Math.abs(v) <= 1.0;
            case STAR -> insidePolygon(STAR_X, STAR_Y, u, v);
        };
    }

    /** Even–odd crossing test. */
    private static boolean insidePolygon(double[] xs, double[] ys, double x, double y) {
        boolean inside = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) inside = !inside;
        }
        return inside;
    }
}
