package dev.vireo.bench.fuzz;

import dev.vireo.models.image.ImageDecoder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** PNG, JPEG, GIF and BMP through {@link ImageDecoder}, each seeded with a 37×23 gradient ImageIO wrote. */
final class ImageTargets {
    private ImageTargets() {}

    static List<FuzzTarget> all() throws IOException {
        return List.of(
                new FuzzTarget("png", List.of(image("png")), in -> ImageDecoder.decode(in, "fuzz.png")),
                new FuzzTarget("jpeg", List.of(image("jpg")), in -> ImageDecoder.decode(in, "fuzz.jpg")),
                new FuzzTarget("gif", List.of(image("gif")), in -> ImageDecoder.decode(in, "fuzz.gif")),
                new FuzzTarget("bmp", List.of(image("bmp")), in -> ImageDecoder.decode(in, "fuzz.bmp")));
    }

    /** A 37×23 RGB gradient in {@code format} (an ImageIO writer name). */
    static byte[] image(String format) throws IOException {
        BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) for (int x = 0; x < 37; x++) img.setRGB(x, y, (x * 7) << 16 | (y * 11) << 8 | (x + y) * 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
        return out.toByteArray();
    }
}
