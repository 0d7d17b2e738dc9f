package dev.vireo.models.data.shapes;

/**
 * The colours of the shapes world, chosen to stay distinct from each other and from the dark
 * background after antialiasing and downscaling.
 */
public enum ShapeColour {
    RED("red", 220, 40, 40),
    GREEN("green", 40, 180, 60),
    BLUE("blue", 50, 90, 230),
    YELLOW("yellow", 240, 220, 40),
    PURPLE("purple", 150, 60, 200),
    ORANGE("orange", 245, 140, 30),
    CYAN("cyan", 40, 200, 210),
    WHITE("white", 240, 240, 240);

    private final String word;
    private final int red;
    private final int green;
    private final int blue;

    ShapeColour(String word, int red, int green, int blue) {
        this.word = word;
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The adjective used in captions and answers. */
    public String word() {
        return word;
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue), 0..255. */
    public int channel(int c) {
        return switch (c) {
            case 0 -> red;
            case 1 -> green;
            case 2 -> blue;
            default -> throw new IllegalArgumentException("ShapeColour.channel: channel must be 0..2, got " + c);
        };
    }
}
