package dev.vireo.models.data.shapes;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompositionalPairsTest {
    private static final List<CompositionalPairs.Item> ITEMS = CompositionalPairs.generate(CompositionalPairs.SEED, 80, 64);

    @Test
    void sameSeedGivesSameItemsAndItemsDoNotDependOnCount() {
        assertThat(CompositionalPairs.generate(CompositionalPairs.SEED, 80, 64)).isEqualTo(ITEMS);
        assertThat(CompositionalPairs.generate(CompositionalPairs.SEED, 7, 64)).isEqualTo(ITEMS.subList(0, 7));
        assertThat(CompositionalPairs.generate(CompositionalPairs.SEED + 1, 80, 64)).isNotEqualTo(ITEMS);
    }

    @Test
    void sceneSeedsAreDisjointFromTrainAndTest() {
        Set<Long> seen = new HashSet<>();
        ShapesWorld.Config config = ShapesWorld.Config.of(32);
        for (ShapeScene s : ShapesWorld.train(500, config)) seen.add(s.seed());
        for (ShapeScene s : ShapesWorld.test(500, config)) seen.add(s.seed());
        for (CompositionalPairs.Item item : CompositionalPairs.generate(CompositionalPairs.SEED, 500, 32)) {
            assertThat(seen).doesNotContain(item.image0().seed());
        }
    }

    @Test
    void theTwoCaptionsHoldTheSameWordsInADifferentOrder() {
        for (CompositionalPairs.Item item : ITEMS) {
            assertThat(item.caption0()).isNotEqualTo(item.caption1());
            assertThat(sortedWords(item.caption0())).isEqualTo(sortedWords(item.caption1()));
        }
    }

    @Test
    void captionIDescribesImageIAndNotTheOther() {
        for (CompositionalPairs.Item item : ITEMS) {
            assertThat(describes(item.caption0(), item.image0())).as(item.toString()).isTrue();
            assertThat(describes(item.caption1(), item.image1())).as(item.toString()).isTrue();
            assertThat(describes(item.caption0(), item.image1())).as(item.toString()).isFalse();
            assertThat(describes(item.caption1(), item.image0())).as(item.toString()).isFalse();
            // the exact phrasing the shapes world trains on
            assertThat(item.image0().captions()).contains(item.caption0());
            assertThat(item.image1().captions()).contains(item.caption1());
        }
    }

    @Test
    void theRenderedImagesDifferAndShowTheNamedColoursInTheNamedPlaces() {
        for (CompositionalPairs.Item item : ITEMS.subList(0, 20)) {
            byte[] rgb0 = item.image0().renderRgb();
            byte[] rgb1 = item.image1().renderRgb();
            assertThat(rgb0).isNotEqualTo(rgb1);
            assertColoursAsCaptioned(item.caption0(), item.image0(), rgb0);
            assertColoursAsCaptioned(item.caption1(), item.image1(), rgb1);
        }
    }

    @Test
    void theImagesDifferOnlyInTheBinding() {
        for (CompositionalPairs.Item item : ITEMS) {
            List<PlacedShape> a = item.image0().shapes();
            List<PlacedShape> b = item.image1().shapes();
            assertThat(a).hasSize(2);
            assertThat(b).hasSize(2);
            assertThat(a.get(0).kind()).isNotEqualTo(a.get(1).kind());
            assertThat(a.get(0).colour()).isNotEqualTo(a.get(1).colour());
            if (item.kind().equals(CompositionalPairs.ATTRIBUTE)) {
                // same kinds, sizes and geometry; the colours trade places
                for (int s = 0; s < 2; s++) {
                    assertThat(b.get(s)).isEqualTo(new PlacedShape(a.get(s).kind(), a.get(1 - s).colour(), a.get(s).size(),
                            a.get(s).position(), a.get(s).centreX(), a.get(s).centreY(), a.get(s).radius()));
                }
            } else {
                // the same two objects (kind, colour, size, radius) trade slots; each slot keeps its centre
                for (int s = 0; s < 2; s++) {
                    PlacedShape moved = a.get(1 - s);
                    assertThat(b.get(s)).isEqualTo(new PlacedShape(moved.kind(), moved.colour(), moved.size(),
                            a.get(s).position(), a.get(s).centreX(), a.get(s).centreY(), moved.radius()));
                }
            }
        }
    }

    @Test
    void bothKindsAndBothOrientationsOccurEvenly() {
        Map<String, Integer> counts = new HashMap<>();
        for (CompositionalPairs.Item item : ITEMS) {
            String orientation = item.image0().shapes().getFirst().position().word();
            counts.merge(item.kind() + "/" + orientation, 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("attribute/left", "attribute/top", "relation/left", "relation/top");
        assertThat(counts.values()).containsOnly(20);
    }

    @Test
    void inputIsValidated() {
        assertThatThrownBy(() -> CompositionalPairs.generate(1, -1, 64)).hasMessageContaining("count");
        assertThatThrownBy(() -> CompositionalPairs.generate(1, 1, 8)).hasMessageContaining("imageSize");
        ShapeScene scene = ITEMS.getFirst().image0();
        assertThatThrownBy(() -> new CompositionalPairs.Item("colour", scene, scene, "a", "b")).hasMessageContaining("colour");
    }

    private static List<String> sortedWords(String caption) {
        String[] words = caption.split(" ");
        Arrays.sort(words);
        return List.of(words);
    }

    /** Parses "a <colour> <kind> (to the left of|above) a <colour> <kind>" and checks it against the scene's shapes. */
    private static boolean describes(String caption, ShapeScene scene) {
        Parsed p = parse(caption);
        PlacedShape first = scene.shapes().get(0);
        PlacedShape second = scene.shapes().get(1);
        boolean placed = p.horizontal
                ? first.position() == ShapePosition.LEFT && first.centreX() < second.centreX()
                : first.position() == ShapePosition.TOP && first.centreY() < second.centreY();
        return placed && first.colour() == p.colours[0] && first.kind() == p.kinds[0]
                && second.colour() == p.colours[1] && second.kind() == p.kinds[1];
    }

    private static void assertColoursAsCaptioned(String caption, ShapeScene scene, byte[] rgb) {
        Parsed p = parse(caption);
        int size = scene.imageSize();
        for (int s = 0; s < 2; s++) {
            PlacedShape shape = scene.shapes().get(s);
            int at = ((int) shape.centreY() * size + (int) shape.centreX()) * 3;
            for (int c = 0; c < 3; c++) assertThat(rgb[at + c] & 0xFF).isEqualTo(p.colours[s].channel(c));
        }
    }

    private record Parsed(ShapeColour[] colours, ShapeKind[] kinds, boolean horizontal) {}

    private static Parsed parse(String caption) {
        String[] w = caption.split(" ");
        boolean horizontal = caption.contains(" to the left of ");
        assertThat(horizontal || caption.contains(" above ")).as(caption).isTrue();
        int second = horizontal ? 7 : 4; // "a c k to the left of a c k" or "a c k above a c k"
        assertThat(w).hasSize(second + 3);
        assertThat(w[0]).isEqualTo("a");
        assertThat(w[second]).isEqualTo("a");
        return new Parsed(new ShapeColour[] {colour(w[1]), colour(w[second + 1])}, new ShapeKind[] {kind(w[2]), kind(w[second + 2])}, horizontal);
    }

    private static ShapeColour colour(String word) {
        return Arrays.stream(ShapeColour.values()).filter(c -> c.word().equals(word)).findFirst().orElseThrow(() -> new AssertionError("no colour " + word));
    }

    private static ShapeKind kind(String word) {
        return Arrays.stream(ShapeKind.values()).filter(k -> k.word().equals(word)).findFirst().orElseThrow(() -> new AssertionError("no kind " + word));
    }
}
