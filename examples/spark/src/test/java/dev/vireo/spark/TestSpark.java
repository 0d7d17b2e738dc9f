package dev.vireo.spark;

import org.apache.spark.sql.SparkSession;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** One in-process Spark for every test class of the module (starting one costs seconds): local[2], a failed task retried up to 3 times. */
final class TestSpark {
    static final Path MODEL = Path.of("../../models/src/test/resources/hf/tiny-clip").toAbsolutePath().normalize();
    private static SparkSession spark;

    private TestSpark() {}

    static synchronized SparkSession session() {
        if (spark == null || spark.sparkContext().isStopped()) spark = SparkSessions.start("local[2,3]", "vireo-spark-tests", false, Map.of());
        return spark;
    }

    /** n random-pattern PNGs of a few sizes in {@code folder}, seeded; absolute paths in order. */
    static List<Path> images(Path folder, int n, long seed) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = 24 + random.nextInt(40), h = 24 + random.nextInt(40), base = random.nextInt(0x1000000);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, base ^ random.nextInt(0x400000));
            Path p = folder.resolve(String.format("img%03d.png", i));
            ImageIO.write(img, "png", p.toFile());
            out.add(p.toAbsolutePath().normalize());
        }
        return out;
    }
}
