package dev.vireo.examples.serve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** Seeded noisy PNG pictures (photoN.png) for the server's tests. */
final class TestPictures {
    private TestPictures() {}

    /** {@code count} pictures of width × height in {@code folder}; their absolute, normalised paths in order. */
    static List<Path> write(Path folder, int count, int width, int height, long seed) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int base = random.nextInt(0x1000000);
            for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) img.setRGB(x, y, base ^ (x + 2 * y) ^ random.nextInt(0x80000));
            Path p = folder.resolve("photo" + i + ".png");
            ImageIO.write(img, "png", p.toFile());
            files.add(p.toAbsolutePath().normalize());
        }
        return files;
    }
}
