package dev.vireo.examples.plot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

class PlotTest {
    @TempDir
    Path dir;

    @Test
    void linePlotAndHeatMapAreReadablePngs() throws Exception {
        double[] x = {1, 2, 3, 4}, y = {4, 2, 1, 0.5};
        Path line = new LinePlot("loss", "step", "loss").add("train", x, y).save(dir.resolve("loss.png"));
        BufferedImage img = ImageIO.read(line.toFile());
        assertThat(img.getWidth()).isEqualTo(720);
        Path heat = HeatMap.save(dir.resolve("sim.png"), "similarity", new float[] {1, 0, 0, 1}, 2, 2, "image", "text");
        BufferedImage h = ImageIO.read(heat.toFile());
        // the diagonal (high) and off-diagonal (low) cells get the two ends of the colour ramp
        int cell = 40, left = 60, top = 40;
        assertThat(h.getRGB(left + cell / 2, top + cell / 2)).isEqualTo(HeatMap.colour(1).getRGB());
        assertThat(h.getRGB(left + cell + cell / 2, top + cell / 2)).isEqualTo(HeatMap.colour(0).getRGB());
    }
}
