package dev.vireo.models.train;

import dev.vireo.models.data.ImageSource;
import dev.vireo.models.data.ImageTextSample;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding a captioned data set once: a bad image is skipped with a warning naming it, and the total is said once. */
class DecodedImageTextDataTest {
    @Test
    void badImagesAreSkippedNamedAndCounted() throws Exception {
        List<ImageTextSample> samples = List.of(
                new ImageTextSample("a", new ImageSource.EncodedBytes("a.png", png(6, 5)), List.of("first"), ""),
                new ImageTextSample("b", new ImageSource.EncodedBytes("b.png", new byte[] {1, 2, 3}), List.of("broken"), ""),
                new ImageTextSample("c", new ImageSource.EncodedBytes("c.png", png(4, 7)), List.of("third"), ""));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DecodedImageTextData data = new DecodedImageTextData(samples, 8, 2, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(data.skipped()).singleElement().satisfies(s -> {
            assertThat(s.image()).isEqualTo("b.png");
            assertThat(s.error()).isNotBlank().doesNotContain("null");
        });
        assertThat(data.size()).isEqualTo(2);
        String warnings = log.toString(StandardCharsets.UTF_8);
        assertThat(warnings).contains("skipping image b.png").contains("skipped 1 of 3 images; training on the other 2");
    }

    private static byte[] png(int w, int h) throws Exception {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) image.setRGB(x, y, x * 40 << 16 | y * 30);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
