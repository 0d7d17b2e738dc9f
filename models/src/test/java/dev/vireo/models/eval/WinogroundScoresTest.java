package dev.vireo.models.eval;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.data.shapes.CompositionalPairs;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WinogroundScoresTest {
    // one item per row: s(c0,i0), s(c0,i1), s(c1,i0), s(c1,i1)
    private static final float[] PERFECT = {0.9f, 0.1f, 0.2f, 0.8f};
    private static final float[] TEXT_ONLY = {0.9f, 0.95f, 0.1f, 0.99f};   // c0 prefers i1, yet each image prefers its caption
    private static final float[] IMAGE_ONLY = {0.9f, 0.1f, 0.95f, 0.99f};  // i0 prefers c1, yet each caption prefers its image
    private static final float[] NEITHER = {0.1f, 0.9f, 0.8f, 0.2f};       // swapped
    private static final float[] ALL_TIED = {0.5f, 0.5f, 0.5f, 0.5f};
    private static final float[] ONE_TIE = {0.5f, 0.1f, 0.5f, 0.8f};       // s(c0,i0) = s(c1,i0): text fails, image holds
    private static final float[] NAN = {Float.NaN, 0.1f, 0.2f, 0.8f};

    @Test
    void eachItemIsJudgedAsWinogroundDefinesIt() {
        assertOutcome(PERFECT, true, true);
        assertOutcome(TEXT_ONLY, true, false);
        assertOutcome(IMAGE_ONLY, false, true);
        assertOutcome(NEITHER, false, false);
        assertOutcome(ALL_TIED, false, false);
        assertOutcome(ONE_TIE, false, true);
        assertOutcome(NAN, false, false);
        assertOutcome(new float[] {0.9f, Float.NaN, 0.2f, 0.8f}, false, false); // every score takes part in both tests
    }

    @Test
    void fractionsCountItems() {
        float[] s = concat(PERFECT, TEXT_ONLY, IMAGE_ONLY, NEITHER, ALL_TIED, ONE_TIE, NAN, PERFECT);
        WinogroundScores.Result r = WinogroundScores.compute(s, 8);
        assertThat(r.count()).isEqualTo(8);
        assertThat(r.text()).isEqualTo(3 / 8.0);  // PERFECT ×2, TEXT_ONLY
        assertThat(r.image()).isEqualTo(4 / 8.0); // PERFECT ×2, IMAGE_ONLY, ONE_TIE
        assertThat(r.group()).isEqualTo(2 / 8.0);
        assertThat(r.toMap()).containsExactly(Map.entry("text_score", 3 / 8.0), Map.entry("image_score", 4 / 8.0),
                Map.entry("group_score", 2 / 8.0), Map.entry("count", 8));
    }

    @Test
    void perKindBreakdown() {
        float[] s = concat(PERFECT, NEITHER, TEXT_ONLY, PERFECT, IMAGE_ONLY);
        WinogroundScores.Breakdown b = WinogroundScores.compute(s, List.of("relation", "attribute", "attribute", "relation", "relation"));
        assertThat(b.all()).isEqualTo(WinogroundScores.compute(s, 5));
        assertThat(b.byKind()).containsOnlyKeys("attribute", "relation");
        assertThat(b.byKind().get("attribute")).isEqualTo(new WinogroundScores.Result(0.5, 0, 0, 2));
        assertThat(b.byKind().get("relation")).isEqualTo(new WinogroundScores.Result(2 / 3.0, 1, 2 / 3.0, 3));
        Map<String, Object> m = b.toMap();
        assertThat(m).containsEntry("group_score", 2 / 5.0).containsEntry("count", 5);
        assertThat(m.get("by_kind")).isEqualTo(Map.of("attribute", b.byKind().get("attribute").toMap(), "relation", b.byKind().get("relation").toMap()));
        assertThat(List.copyOf(((Map<?, ?>) m.get("by_kind")).keySet())).isEqualTo(List.of("attribute", "relation"));
    }

    @Test
    void randomScoresScoreChance() {
        // iid continuous scores: text and image each 1/4, group 1/6 (both diagonal entries are the top two of four)
        int n = 40_000;
        Rng rng = new Rng(5);
        float[] s = new float[4 * n];
        for (int i = 0; i < s.length; i++) s[i] = rng.nextFloat();
        WinogroundScores.Result r = WinogroundScores.compute(s, n);
        assertThat(r.text()).isCloseTo(0.25, within(0.01));
        assertThat(r.image()).isCloseTo(0.25, within(0.01));
        assertThat(r.group()).isCloseTo(1 / 6.0, within(0.01));
    }

    @Test
    void theShapesSplitDefeatsABagOfWordsScorerButNotABindingOne() {
        List<CompositionalPairs.Item> items = CompositionalPairs.generate(CompositionalPairs.SEED, 40, 32);
        float[] bagOfWords = new float[4 * items.size()];
        float[] binding = new float[4 * items.size()];
        for (int n = 0; n < items.size(); n++) {
            CompositionalPairs.Item item = items.get(n);
            List<String> captions = List.of(item.caption0(), item.caption1());
            List<ShapeScene> images = List.of(item.image0(), item.image1());
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    bagOfWords[4 * n + 2 * c + i] = namedAndPresent(captions.get(c), images.get(i));
                    binding[4 * n + 2 * c + i] = images.get(i).captions().contains(captions.get(c)) ? 1 : 0;
                }
            }
        }
        List<String> kinds = items.stream().map(CompositionalPairs.Item::kind).toList();
        WinogroundScores.Breakdown words = WinogroundScores.compute(bagOfWords, kinds);
        assertThat(words.all()).isEqualTo(new WinogroundScores.Result(0, 0, 0, 40)); // all four pairs tie
        WinogroundScores.Breakdown bound = WinogroundScores.compute(binding, kinds);
        assertThat(bound.all()).isEqualTo(new WinogroundScores.Result(1, 1, 1, 40));
        assertThat(bound.byKind()).containsOnlyKeys(CompositionalPairs.ATTRIBUTE, CompositionalPairs.RELATION);
    }

    /** How many of the caption's words name a colour or a kind the image shows, wherever it shows it. */
    private static float namedAndPresent(String caption, ShapeScene image) {
        Set<String> present = new HashSet<>();
        for (PlacedShape s : image.shapes()) {
            present.add(s.colour().word());
            present.add(s.kind().word());
        }
        return Arrays.stream(caption.split(" ")).filter(present::contains).count();
    }

    @Test
    void noItemsScoreZero() {
        assertThat(WinogroundScores.compute(new float[0], 0)).isEqualTo(new WinogroundScores.Result(0, 0, 0, 0));
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> WinogroundScores.compute(new float[7], 2)).hasMessageContaining("7 scores for 2 items");
        assertThatThrownBy(() -> WinogroundScores.compute(new float[8], List.of("attribute"))).hasMessageContaining("8 scores for 1 items");
        assertThatThrownBy(() -> WinogroundScores.compute(new float[4], -1)).hasMessageContaining("negative");
    }

    private static void assertOutcome(float[] item, boolean text, boolean image) {
        assertThat(WinogroundScores.textCorrect(item, 0)).as("text %s", Arrays.toString(item)).isEqualTo(text);
        assertThat(WinogroundScores.imageCorrect(item, 0)).as("image %s", Arrays.toString(item)).isEqualTo(image);
        assertThat(WinogroundScores.groupCorrect(item, 0)).isEqualTo(text && image);
    }

    private static float[] concat(float[]... items) {
        float[] out = new float[4 * items.length];
        for (int i = 0; i < items.length; i++) System.arraycopy(items[i], 0, out, 4 * i, 4);
        return out;
    }
}
