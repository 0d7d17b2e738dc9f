package dev.vireo.models.train;

import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeColour;
import dev.vireo.models.data.shapes.ShapeKind;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The targets of masked region modelling: each patch's mean-colour bin and the region class under its centre. */
class PatchTargetsTest {
    @Test
    void colourBinsOfKnownPatches() {
        int side = 4, patch = 2, plane = side * side;
        float[] pixels = new float[3 * plane]; // (1, 3, 4, 4): the top-left patch white, the rest black, then normalised
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) pixels[c * plane + y * side + x] = x < patch && y < patch ? 1f : 0f;
            }
        }
        Normalization.normalizeChw(pixels, 0, plane);
        assertThat(PatchColours.bins(pixels, 1, side, patch)).containsExactly(511, 0, 0, 0); // (7, 7, 7) and (0, 0, 0)
    }

    @Test
    void regionLabelsNameTheShapeUnderEachPatchCentre() {
        ShapeScene scene = ShapesWorld.test(40, ShapesWorld.Config.of(48)).stream().filter(s -> s.shapes().size() == 1).findFirst().orElseThrow();
        PlacedShape shape = scene.mainShape();
        int grid = 8;
        int[] labels = scene.patchLabels(grid);
        int expected = 1 + shape.kind().ordinal() * ShapeColour.values().length + shape.colour().ordinal();
        int gx = (int) (shape.centreX() / 6), gy = (int) (shape.centreY() / 6);
        assertThat(labels[gy * grid + gx]).isEqualTo(expected);
        assertThat(labels[0]).isZero();
        assertThat(labels).containsOnly(0, expected);
        assertThat(ShapeScene.regionClasses()).isEqualTo(1 + ShapeKind.values().length * ShapeColour.values().length);
        assertThatThrownBy(() -> scene.patchLabels(7)).hasMessageContaining("does not cut into a 7 x 7 grid");
    }
}
