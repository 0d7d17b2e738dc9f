package dev.vireo.examples.serve;

import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.PilResample;
import dev.vireo.models.image.ResampleFilter;
import dev.vireo.models.image.RgbImage;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * PNG thumbnails (longest side {@value #SIDE} px, bicubic as Pillow's), made on first request and
 * kept for the most recent {@value #CAPACITY} images. An image that no longer decodes raises the
 * decoder's one-line error; nothing is cached for it.
 */
final class Thumbnails {
    static final int SIDE = 192, CAPACITY = 2_000;

    private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    byte[] get(String id, Path file) throws IOException {
        synchronized (cache) {
            byte[] hit = cache.get(id);
            if (hit != null) return hit;
        }
        byte[] png = make(ImageDecoder.decode(file));
        synchronized (cache) {
            cache.put(id, png);
        }
        return png;
    }

    static byte[] make(RgbImage image) throws IOException {
        double scale = Math.min(1.0, (double) SIDE / Math.max(image.width(), image.height()));
        int w = Math.max(1, (int) Math.round(image.width() * scale)), h = Math.max(1, (int) Math.round(image.height() * scale));
        RgbImage small = scale < 1 ? PilResample.resize(image, w, h, ResampleFilter.BICUBIC) : image;
        BufferedImage out = new BufferedImage(small.width(), small.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < small.height(); y++) {
            for (int x = 0; x < small.width(); x++) {
                out.setRGB(x, y, small.get(x, y, 0) << 16 | small.get(x, y, 1) << 8 | small.get(x, y, 2));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }
}
