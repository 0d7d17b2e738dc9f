package dev.vireo.models.eval;

import dev.vireo.models.data.Box;
import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeRasterizer;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeatMapBoxTest {

    @Test
    void aBlobInOneCellGivesThatCellsPixels() {
        // 7×7 grid on a 70×70 image: cell (row 2, column 4) covers x 40..50, y 20..30
        float[] map = new float[49];
        map[2 * 7 + 4] = 1;
        HeatMapBox.Prediction p = HeatMapBox.predict(map, 7, 7, 70, 70);
        assertThat(p.box()).isEqualTo(new Box(40, 20, 50, 30));
        assertThat(p.score()).isEqualTo(1.0);
    }

    @Test
    void ofTwoBlobsTheBoxSurroundsTheOneWithTheMaximum() {
        float[] map = new float[49];
        map[7 + 1] = 0.8f;          // above the threshold too, but not connected to the maximum
        map[5 * 7 + 5] = 1.0f;
        HeatMapBox.Prediction p = HeatMapBox.predict(map, 7, 7, 70, 70);
        assertThat(p.box()).isEqualTo(new Box(50, 50, 60, 60));
        assertThat(p.score()).isEqualTo(1.0);
        // swap the heights and the other blob wins
        map[7 + 1] = 1.0f;
        map[5 * 7 + 5] = 0.8f;
        assertThat(HeatMapBox.predict(map, 7, 7, 70, 70).box()).isEqualTo(new Box(10, 10, 20, 20));
    }

    @Test
    void aConstantMapGivesTheWholeImage() {
        float[] map = new float[49];
        Arrays.fill(map, -3.5f);
        HeatMapBox.Prediction p = HeatMapBox.predict(map, 7, 7, 64, 48);
        assertThat(p.box()).isEqualTo(new Box(0, 0, 48, 64));
        assertThat(p.score()).isEqualTo(-3.5);
    }

    @Test
    void aGridAsLargeAsTheImageIsTakenAsItIsAndOnlyFourNeighboursConnect() {
        // 6×6, no upsampling: an L of three pixels holds the maximum; (4, 4) touches it only at a corner
        float[] map = new float[36];
        map[2 * 6 + 2] = 1.0f;
        map[2 * 6 + 3] = 0.9f;
        map[3 * 6 + 3] = 0.9f;
        map[4 * 6 + 4] = 0.95f;
        assertThat(HeatMapBox.upsample(map, 6, 6, 6, 6)).containsExactly(toDouble(map));
        assertThat(HeatMapBox.predict(map, 6, 6, 6, 6).box()).isEqualTo(new Box(2, 2, 4, 4));
        // a lower threshold fraction takes in more: with 0 every pixel is in
        assertThat(HeatMapBox.predict(map, 6, 6, 6, 6, 0).box()).isEqualTo(new Box(0, 0, 6, 6));
    }

    @Test
    void upsamplingIsBilinearWithHalfPixelCentres() {
        // 1×2 grid onto 1×4: centres of the grid cells fall at output x = 0.5 and 2.5 (as align_corners=False)
        double[] up = HeatMapBox.upsample(new float[] {0, 1}, 1, 2, 1, 4);
        assertThat(up).containsExactly(0, 0.25, 0.75, 1);
    }

    @Test
    void aRectangularGridOnARectangularImage() {
        // 2 rows × 4 columns on a 20 × 40 image: cells of 10 × 10; the hot cell is the top right one
        float[] map = new float[8];
        map[3] = 2;
        assertThat(HeatMapBox.predict(map, 2, 4, 20, 40).box()).isEqualTo(new Box(30, 0, 40, 10));
    }

    @Test
    void patchCoverageOfAShapeFindsItsBox() {
        // the heat map an ideal grounding model would give: the fraction of each 8×8 patch where the named shape shows
        int size = 64, grid = 8;
        List<Box> predicted = new ArrayList<>(), truth = new ArrayList<>();
        for (ShapeScene scene : ShapesWorld.generate(6, 60, size)) {
            PlacedShape target = scene.shapes().getLast();
            byte[] alone = ShapeRasterizer.renderRgb(List.of(target), size);
            float[] map = new float[grid * grid];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (painted(alone, (y * size + x) * 3)) map[(y / 8) * grid + x / 8] += 1 / 64f;
                }
            }
            predicted.add(HeatMapBox.predict(map, grid, grid, size, size).box());
            truth.add(target.box(size));
        }
        GroundingMetrics.Result r = GroundingMetrics.evaluate(predicted, truth, 0.5);
        // measured 0.93 and 0.69: an 8-pixel grid blurs the edges of 8-to-24-pixel shapes
        assertThat(r.accuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.meanIou()).isGreaterThan(0.6);
    }

    @Test
    void badMapsAreRejected() {
        float[] map = new float[49];
        map[10] = Float.NaN;
        assertThatThrownBy(() -> HeatMapBox.predict(map, 7, 7, 70, 70)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN").hasMessageContaining("cell 10 (row 1, column 3)");
        map[10] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> HeatMapBox.predict(map, 7, 7, 70, 70)).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> HeatMapBox.predict(new float[48], 7, 7, 70, 70)).hasMessageContaining("48 values for a 7 x 7 grid");
        assertThatThrownBy(() -> HeatMapBox.predict(new float[49], 7, 7, 0, 70)).hasMessageContaining("image");
        assertThatThrownBy(() -> HeatMapBox.predict(new float[49], 7, 7, 70, 70, 1.5)).hasMessageContaining("fraction");
    }

    private static boolean painted(byte[] rgb, int at) {
        for (int c = 0; c < 3; c++) if ((rgb[at + c] & 0xFF) != ShapeRasterizer.BACKGROUND[c]) return true;
        return false;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
