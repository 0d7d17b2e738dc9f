package dev.vireo.examples.data;

import dev.vireo.models.data.shapes.ShapeScene;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import javax.imageio.ImageIO;

/** Shapes scenes as picture files, for what works on folders (the image index, its lesson, its load test). */
public final class ScenePictures {
    private ScenePictures() {}

    /** Writes the scene as a PNG at {@code file} and returns the file's absolute, normalised path. */
    public static Path writePng(ShapeScene scene, Path file) throws IOException {
        byte[] rgb = scene.renderRgb();
        int s = scene.imageSize();
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < s * s; i++) img.setRGB(i % s, i / s, (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | rgb[3 * i + 2] & 0xFF);
        ImageIO.write(img, "png", file.toFile());
        return file.toAbsolutePath().normalize();
    }

    /** Deletes a folder and everything in it (a scratch folder of pictures and an index). */
    public static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
