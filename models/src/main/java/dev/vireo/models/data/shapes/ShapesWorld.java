package dev.vireo.models.data.shapes;

import dev.vireo.engine.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in "shapes" world: the default data for demos and tests, generated, never downloaded.
 * Scene {@code i} of seed {@code s} depends only on ({@code s}, {@code i}); train and test use
 * different seeds, so their scene seeds are disjoint. A scene holds one or two shapes of distinct
 * kind and colour; with two, they sit left/right or top/bottom so the relation is unambiguous.
 */
public final class ShapesWorld {
    /** Seed of the training split. */
    public static final long TRAIN_SEED = 1;
    /** Seed of the test split. */
    public static final long TEST_SEED = 2;

    /** Image side and how many shapes a scene may hold. */
    public record Config(int imageSize, int minShapes, int maxShapes) {
        public Config {
            if (imageSize < 16) throw new IllegalArgumentException("ShapesWorld: imageSize must be at least 16, got " + imageSize);
            if (minShapes < 1 || maxShapes > 2 || minShapes > maxShapes) {
                throw new IllegalArgumentException("ShapesWorld: shapes per scene must satisfy 1 <= min <= max <= 2, got " + minShapes + ".." + maxShapes);
            }
        }

        /** One or two shapes on a square image of the given side. */
        public static Config of(int imageSize) {
            return new Config(imageSize, 1, 2);
        }
    }

    private ShapesWorld() {}

    /** {@code count} scenes of one or two shapes, {@code imageSize}² pixels. */
    public static List<ShapeScene> generate(long seed, int count, int imageSize) {
        return generate(seed, count, Config.of(imageSize));
    }

    public static List<ShapeScene> generate(long seed, int count, Config config) {
        if (count < 0) throw new IllegalArgumentException("ShapesWorld.generate: negative count " + count);
        List<ShapeScene> scenes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) scenes.add(scene(seed, i, config));
        return scenes;
    }

    /** The training split. */
    public static List<ShapeScene> train(int count, Config config) {
        return generate(TRAIN_SEED, count, config);
    }

    /** The test split. */
    public static List<ShapeScene> test(int count, Config config) {
        return generate(TEST_SEED, count, config);
    }

    /**
     * Scene {@code index} of {@code seed}. Scene seeds run consecutively from a hash of {@code seed},
     * so two seeds share a scene only if their hashes lie within the scene count of each other
     * (about count/2^64; the train and test seeds hash more than 2^62 apart).
     */
    public static ShapeScene scene(long seed, int index, Config config) {
        if (index < 0) throw new IllegalArgumentException("ShapesWorld.scene: negative index " + index);
        long sceneSeed = mix(seed) + index;
        Rng rng = new Rng(mix(sceneSeed));
        int count = config.minShapes() + rng.nextInt(config.maxShapes() - config.minShapes() + 1);
        ShapeKind[] kinds = ShapeKind.values();
        ShapeColour[] colours = ShapeColour.values();
        ShapeKind firstKind = kinds[rng.nextInt(kinds.length)];
        ShapeColour firstColour = colours[rng.nextInt(colours.length)];
        List<PlacedShape> shapes = new ArrayList<>(2);
        if (count == 1) {
            ShapePosition position = ShapePosition.values()[rng.nextInt(ShapePosition.values().length)];
            shapes.add(place(firstKind, firstColour, position, rng, config.imageSize()));
        } else {
            // a second kind and colour differ from the first: "what colour is the circle?" has one answer
            ShapeKind secondKind = kinds[(firstKind.ordinal() + 1 + rng.nextInt(kinds.length - 1)) % kinds.length];
            ShapeColour secondColour = colours[(firstColour.ordinal() + 1 + rng.nextInt(colours.length - 1)) % colours.length];
            boolean horizontal = rng.nextInt(2) == 0;
            shapes.add(place(firstKind, firstColour, horizontal ? ShapePosition.LEFT : ShapePosition.TOP, rng, config.imageSize()));
            shapes.add(place(secondKind, secondColour, horizontal ? ShapePosition.RIGHT : ShapePosition.BOTTOM, rng, config.imageSize()));
        }
        return sceneOf(sceneSeed, config.imageSize(), shapes, rng);
    }

    /**
     * A scene of the given shapes (left or top one first) with the shapes world's captions and
     * questions; {@code rng} picks the absent shape and colour of the "no" questions.
     */
    static ShapeScene sceneOf(long sceneSeed, int imageSize, List<PlacedShape> shapes, Rng rng) {
        return new ShapeScene(sceneSeed, imageSize, shapes, ShapeLanguage.captions(shapes), ShapeLanguage.questions(shapes, rng));
    }

    /** A shape in the region of {@code position}: draws its size, then the x and y jitter, then the radius jitter. */
    static PlacedShape place(ShapeKind kind, ShapeColour colour, ShapePosition position, Rng rng, int size) {
        ShapeSize shapeSize = ShapeSize.values()[rng.nextInt(ShapeSize.values().length)];
        double jitter = 0.03 * size;
        double x = position.x() * size + (2 * rng.nextDouble() - 1) * jitter;
        double y = position.y() * size + (2 * rng.nextDouble() - 1) * jitter;
        double radius = shapeSize.relativeRadius() * size * (0.92 + 0.16 * rng.nextDouble());
        return new PlacedShape(kind, colour, shapeSize, position, x, y, radius);
    }

    /** SplitMix64's finaliser: a bijection, so distinct scene seeds give distinct generators. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
