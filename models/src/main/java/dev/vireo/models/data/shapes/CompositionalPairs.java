package dev.vireo.models.data.shapes;

import dev.vireo.engine.tensor.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Winoground-style compositional split of the shapes world (Thrush et al., "Winoground", CVPR
 * 2022): each item holds two images and two captions made of exactly the same words, bound
 * differently, so only a model that binds colour to shape and shape to place can match them.
 * Two kinds of item:
 * <ul>
 *   <li>{@value #ATTRIBUTE}: the colours trade shapes. "a red circle to the left of a blue square"
 *       and "a blue circle to the left of a red square"; the images differ only in the colours.</li>
 *   <li>{@value #RELATION}: the two objects trade places. "a red circle above a blue square" and
 *       "a blue square above a red circle"; each object keeps its size, each place its jittered
 *       centre.</li>
 * </ul>
 * Captions are the shapes world's own short form ({@code ShapeLanguage.shortCaption}, no size
 * words, so the word multisets match); scenes are built as {@link ShapesWorld} builds them, so they
 * render with {@link ShapeRasterizer} and carry the usual caption paraphrases and questions.
 * Item kinds alternate (even index attribute, odd relation) and the layout alternates every two
 * items (left/right, then top/bottom), so any multiple of four items is exactly balanced.
 */
public final class CompositionalPairs {
    /** Kind of an item whose images swap the colours of the two shapes. */
    public static final String ATTRIBUTE = "attribute";
    /** Kind of an item whose images swap the places of the two shapes. */
    public static final String RELATION = "relation";
    /**
     * The seed of the split. Item seeds run consecutively from its hash, as in {@link ShapesWorld},
     * and lie far from those of {@link ShapesWorld#TRAIN_SEED} and {@link ShapesWorld#TEST_SEED}.
     */
    public static final long SEED = 3;

    /**
     * One item: caption {@code i} describes image {@code i} and not the other. Both scenes carry the
     * item's seed.
     */
    public record Item(String kind, ShapeScene image0, ShapeScene image1, String caption0, String caption1) {
        public Item {
            if (!ATTRIBUTE.equals(kind) && !RELATION.equals(kind)) {
                throw new IllegalArgumentException("CompositionalPairs.Item: kind must be " + ATTRIBUTE + " or " + RELATION + ", got " + kind);
            }
            Objects.requireNonNull(image0, "image0");
            Objects.requireNonNull(image1, "image1");
            Objects.requireNonNull(caption0, "caption0");
            Objects.requireNonNull(caption1, "caption1");
        }
    }

    private CompositionalPairs() {}

    /** {@code count} items on {@code imageSize}² images; item {@code i} depends only on ({@code seed}, {@code i}). */
    public static List<Item> generate(long seed, int count, int imageSize) {
        if (count < 0) throw new IllegalArgumentException("CompositionalPairs.generate: negative count " + count);
        ShapesWorld.Config config = new ShapesWorld.Config(imageSize, 2, 2); // validates imageSize
        List<Item> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) items.add(item(seed, i, config.imageSize()));
        return items;
    }

    private static Item item(long seed, int index, int imageSize) {
        long itemSeed = ShapesWorld.mix(seed) + index;
        Rng rng = new Rng(ShapesWorld.mix(itemSeed));
        String kind = index % 2 == 0 ? ATTRIBUTE : RELATION;
        boolean horizontal = (index / 2) % 2 == 0;
        // two shapes of distinct kind and colour, drawn as ShapesWorld draws a two-shape scene
        ShapeKind[] kinds = ShapeKind.values();
        ShapeColour[] colours = ShapeColour.values();
        ShapeKind firstKind = kinds[rng.nextInt(kinds.length)];
        ShapeColour firstColour = colours[rng.nextInt(colours.length)];
        ShapeKind secondKind = kinds[(firstKind.ordinal() + 1 + rng.nextInt(kinds.length - 1)) % kinds.length];
        ShapeColour secondColour = colours[(firstColour.ordinal() + 1 + rng.nextInt(colours.length - 1)) % colours.length];
        PlacedShape a = ShapesWorld.place(firstKind, firstColour, horizontal ? ShapePosition.LEFT : ShapePosition.TOP, rng, imageSize);
        PlacedShape b = ShapesWorld.place(secondKind, secondColour, horizontal ? ShapePosition.RIGHT : ShapePosition.BOTTOM, rng, imageSize);
        List<PlacedShape> rebound = kind.equals(ATTRIBUTE)
                ? List.of(recoloured(a, b.colour()), recoloured(b, a.colour()))
                : List.of(movedTo(b, a), movedTo(a, b));
        ShapeScene image0 = ShapesWorld.sceneOf(itemSeed, imageSize, List.of(a, b), rng);
        ShapeScene image1 = ShapesWorld.sceneOf(itemSeed, imageSize, rebound, rng);
        return new Item(kind, image0, image1, ShapeLanguage.shortCaption(a, b), ShapeLanguage.shortCaption(rebound.get(0), rebound.get(1)));
    }

    /** {@code shape} in another colour, everything else kept. */
    private static PlacedShape recoloured(PlacedShape shape, ShapeColour colour) {
        return new PlacedShape(shape.kind(), colour, shape.size(), shape.position(), shape.centreX(), shape.centreY(), shape.radius());
    }

    /** {@code shape} (its kind, colour, size and radius) at the place and jittered centre of {@code slot}. */
    private static PlacedShape movedTo(PlacedShape shape, PlacedShape slot) {
        return new PlacedShape(shape.kind(), shape.colour(), shape.size(), slot.position(), slot.centreX(), slot.centreY(), shape.radius());
    }
}
