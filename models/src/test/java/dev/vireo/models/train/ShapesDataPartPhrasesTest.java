package dev.vireo.models.train;

import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Part phrases caption each shape of a multi-shape scene on its own, and change nothing else. */
class ShapesDataPartPhrasesTest {
    @Test
    void scenesOfTwoShapesGainEachShapesPhrasesAndNothingElseChanges() {
        ShapesData data = ShapesData.split(true, 40, ShapesWorld.Config.of(32));
        ShapesData phrased = data.withPartPhrases();
        assertThat(phrased.size()).isEqualTo(data.size());
        float[] a = new float[3 * 32 * 32], b = new float[3 * 32 * 32];
        int two = 0;
        for (int i = 0; i < data.size(); i++) {
            ShapeScene scene = data.scenes().get(i);
            data.image(i, a, 0);
            phrased.image(i, b, 0);
            assertThat(b).isEqualTo(a);
            if (scene.shapes().size() == 1) {
                assertThat(phrased.captions(i)).isEqualTo(data.captions(i));
                assertThat(data.captions(i)).containsAll(scene.partPhrases()); // a one-shape scene already says its phrases
                continue;
            }
            two++;
            List<String> expected = new ArrayList<>(data.captions(i));
            for (PlacedShape s : scene.shapes()) {
                for (String p : List.of("a " + s.phrase(), "a " + s.shortPhrase())) if (!expected.contains(p)) expected.add(p);
            }
            assertThat(phrased.captions(i)).isEqualTo(expected);
            assertThat(phrased.captions(i).subList(0, data.captions(i).size())).isEqualTo(data.captions(i)); // whole captions first
        }
        assertThat(two).as("scenes of two shapes among 40").isGreaterThan(5);
    }
}
