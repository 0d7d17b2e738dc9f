package dev.vireo.examples.plot;

import dev.vireo.models.data.Box;
import dev.vireo.models.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageOverlayTest {
    @TempDir
    Path dir;

    @Test
    void theMapCoversItsWindowTheRestIsDimmedAndTheBoxIsRed() throws Exception {
        // a grey 20×10 picture whose left half the model saw; the map is hot in the window's right cell
        byte[] grey = new byte[20 * 10 * 3];
        java.util.Arrays.fill(grey, (byte) 100);
        ImageOverlay.Panel panel = new ImageOverlay.Panel("hot right", new float[] {0, 1}, 1, 2, new Box(0, 0, 10, 10), new Box(0, 0, 10, 10));
        Path file = ImageOverlay.save(dir.resolve("overlay.png"), "overlay", new RgbImage(20, 10, grey), List.of(panel), 4);
        BufferedImage png = ImageIO.read(file.toFile());
        double scale = 224 / 20.0; // the longer side drawn at 224 px
        int left = 10, top = 36;
        Color hot = new Color(png.getRGB(left + (int) (7.5 * scale), top + (int) (5 * scale)));
        Color top1 = HeatMap.colour(1);
        assertThat(hot.getRed()).isEqualTo((int) ((1 - ImageOverlay.ALPHA) * 100 + ImageOverlay.ALPHA * top1.getRed()));
        assertThat(hot.getGreen()).isEqualTo((int) ((1 - ImageOverlay.ALPHA) * 100 + ImageOverlay.ALPHA * top1.getGreen()));
        Color cold = new Color(png.getRGB(left + (int) (2.5 * scale), top + (int) (5 * scale)));
        assertThat(cold.getGreen()).isLessThan(hot.getGreen()); // the low end of the ramp: dark purple
        Color unseen = new Color(png.getRGB(left + (int) (15 * scale), top + (int) (5 * scale)));
        assertThat(unseen).isEqualTo(new Color(40, 40, 40));
        Color edge = new Color(png.getRGB(left + (int) (5 * scale), top));
        assertThat(edge.getRed()).isGreaterThan(150);
        assertThat(edge.getGreen()).isLessThan(100);
    }

    @Test
    void aMapMustFitItsGrid() {
        assertThatThrownBy(() -> new ImageOverlay.Panel("x", new float[3], 2, 2, new Box(0, 0, 1, 1), null)).hasMessageContaining("3 values");
    }
}
