package dev.vireo.models.data.shapes;

import dev.vireo.models.data.DelimitedWriter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes scenes as a folder people can open: {@code scene_00000.png} files, {@code captions.csv}
 * (one row per caption, readable by {@code CaptionTableReader}), {@code questions.csv} and
 * {@code labels.csv} (one row per shape with its attributes).
 */
public final class ShapesSampleWriter {
    private ShapesSampleWriter() {}

    /** Writes the folder (created if needed) and returns it. */
    public static Path write(Path dir, List<ShapeScene> scenes) throws IOException {
        Files.createDirectories(dir);
        try (Writer captions = Files.newBufferedWriter(dir.resolve("captions.csv"), StandardCharsets.UTF_8);
             Writer questions = Files.newBufferedWriter(dir.resolve("questions.csv"), StandardCharsets.UTF_8);
             Writer labels = Files.newBufferedWriter(dir.resolve("labels.csv"), StandardCharsets.UTF_8)) {
            DelimitedWriter captionRows = new DelimitedWriter(captions, ',');
            DelimitedWriter questionRows = new DelimitedWriter(questions, ',');
            DelimitedWriter labelRows = new DelimitedWriter(labels, ',');
            captionRows.write("image", "caption");
            questionRows.write("image", "question", "answer", "type");
            labelRows.write("image", "shape", "colour", "size", "position");
            for (int i = 0; i < scenes.size(); i++) {
                ShapeScene scene = scenes.get(i);
                String file = String.format("scene_%05d.png", i);
                writePng(dir.resolve(file), scene);
                for (String caption : scene.captions()) captionRows.write(file, caption);
                for (QuestionAnswer qa : scene.questions()) questionRows.write(file, qa.question(), qa.answer(), qa.type());
                for (PlacedShape s : scene.shapes()) {
                    labelRows.write(file, s.kind().word(), s.colour().word(), s.size().word(), s.position().word());
                }
            }
        }
        return dir;
    }

    /** One scene as an 8-bit RGB PNG. */
    public static void writePng(Path file, ShapeScene scene) throws IOException {
        int size = scene.imageSize();
        byte[] rgb = scene.renderRgb();
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int at = (y * size + x) * 3;
                image.setRGB(x, y, (rgb[at] & 0xFF) << 16 | (rgb[at + 1] & 0xFF) << 8 | (rgb[at + 2] & 0xFF));
            }
        }
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer available for " + file);
    }
}
