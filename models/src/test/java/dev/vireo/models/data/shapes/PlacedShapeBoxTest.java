package dev.vireo.models.data.shapes;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.models.data.Box;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PlacedShapeBoxTest {
    private static final int SIZE = 48;

    @Test
    void theBoxIsExactlyTheExtentOfThePaintedPixels() {
        Rng rng = new Rng(17);
        int clipped = 0, outside = 0;
        for (int n = 0; n < 300; n++) {
            // centres anywhere, a little beyond the border too, so some boxes are clipped and some shapes unseen
            PlacedShape shape = randomShape(rng, n, -8, SIZE + 8);
            int[] painted = paintedExtent(ShapeRasterizer.renderRgb(List.of(shape), SIZE));
            if (painted == null) {
                outside++;
                assertThatThrownBy(() -> shape.box(SIZE)).hasMessageContaining("paints no pixel");
                continue;
            }
            Box box = shape.box(SIZE);
            assertThat(box).as(shape.toString()).isEqualTo(new Box(painted[0], painted[1], painted[2] + 1, painted[3] + 1));
            if (box.x0() == 0 || box.y0() == 0 || box.x1() == SIZE || box.y1() == SIZE) clipped++;
        }
        assertThat(clipped).isGreaterThan(20);
        assertThat(outside).isGreaterThan(0);
    }

    @Test
    void anUnclippedBoxIsWithinAPixelOfTheShapesTrueExtent() {
        double[][] extents = new double[ShapeKind.values().length][];
        for (ShapeKind kind : ShapeKind.values()) extents[kind.ordinal()] = unitExtent(kind);
        Rng rng = new Rng(23);
        for (int n = 0; n < 200; n++) {
            PlacedShape shape = randomShape(rng, n, 17, SIZE - 17);
            double[] unit = extents[shape.kind().ordinal()];
            double r = shape.radius();
            Box box = shape.box(SIZE);
            assertThat(box.x0()).as(shape.toString()).isCloseTo(shape.centreX() + r * unit[0], within(1.0));
            assertThat(box.y0()).as(shape.toString()).isCloseTo(shape.centreY() + r * unit[1], within(1.0));
            assertThat(box.x1()).as(shape.toString()).isCloseTo(shape.centreX() + r * unit[2], within(1.0));
            assertThat(box.y1()).as(shape.toString()).isCloseTo(shape.centreY() + r * unit[3], within(1.0));
        }
    }

    @Test
    void shapesWorldBoxesHoldTheirCentresAndAreNeverClipped() {
        for (ShapeScene scene : ShapesWorld.generate(4, 50, 64)) {
            for (PlacedShape s : scene.shapes()) {
                Box b = s.box(64);
                assertThat(b.x0()).isGreaterThan(0).isLessThan(s.centreX());
                assertThat(b.y0()).isGreaterThan(0).isLessThan(s.centreY());
                assertThat(b.x1()).isLessThan(64).isGreaterThan(s.centreX());
                assertThat(b.y1()).isLessThan(64).isGreaterThan(s.centreY());
            }
        }
    }

    private static PlacedShape randomShape(Rng rng, int n, double lo, double hi) {
        ShapeKind kind = ShapeKind.values()[n % ShapeKind.values().length];
        double cx = lo + rng.nextDouble() * (hi - lo), cy = lo + rng.nextDouble() * (hi - lo), r = 2 + rng.nextDouble() * 14;
        return new PlacedShape(kind, ShapeColour.values()[n % ShapeColour.values().length], ShapeSize.SMALL, ShapePosition.CENTRE, cx, cy, r);
    }

    /** {minX, minY, maxX, maxY} of the pixels that differ from the background, or null if none does. */
    private static int[] paintedExtent(byte[] rgb) {
        int minX = SIZE, minY = SIZE, maxX = -1, maxY = -1;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int at = (y * SIZE + x) * 3;
                boolean painted = false;
                for (int c = 0; c < 3; c++) painted |= (rgb[at + c] & 0xFF) != ShapeRasterizer.BACKGROUND[c];
                if (!painted) continue;
                minX = Math.min(minX, x);
                minY = Math.min(minY, y);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, y);
            }
        }
        return maxX < 0 ? null : new int[] {minX, minY, maxX, maxY};
    }

    /** The extent {u0, v0, u1, v1} of {@link ShapeKind#covers} found on a grid of step 0.001. */
    private static double[] unitExtent(ShapeKind kind) {
        int steps = 2400;
        double step = 2.4 / steps;
        double[] e = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int j = 0; j <= steps; j++) {
            double v = -1.2 + j * step;
            for (int i = 0; i <= steps; i++) {
                double u = -1.2 + i * step;
                if (!kind.covers(u, v)) continue;
                e[0] = Math.min(e[0], u);
                e[1] = Math.min(e[1], v);
                e[2] = Math.max(e[2], u);
                e[3] = Math.max(e[3], v);
            }
        }
        return e;
    }
}
