package dev.vireo.models.train;

import dev.vireo.models.data.ImageSource;
import dev.vireo.models.data.LabelledImage;

import java.util.List;
import java.util.Locale;

/**
 * Labelled raw-pixel images (IDX sets such as Fashion-MNIST) as image–text data: each image is
 * resized bilinearly to the model's size, grey replicated to RGB, normalised, and captioned from
 * its class name through prompt templates ("a photo of a {}").
 */
public final class LabelledImageData extends PixelImageData {
    private final int[] labels;
    private final List<String> classNames;
    private final List<String> templates;

    public LabelledImageData(List<LabelledImage> images, List<String> classNames, List<String> templates, int imageSize) {
        super(imageSize, pixels(images, imageSize));
        if (templates.isEmpty()) throw new IllegalArgumentException("labelled data: at least one caption template is needed");
        this.classNames = classNames.stream().map(LabelledImageData::readable).toList();
        this.templates = List.copyOf(templates);
        this.labels = images.stream().mapToInt(LabelledImage::label).toArray();
    }

    private static float[] pixels(List<LabelledImage> images, int imageSize) {
        int per = 3 * imageSize * imageSize;
        float[] pixels = new float[images.size() * per]; // (N, 3, S, S)
        for (int i = 0; i < images.size(); i++) {
            LabelledImage li = images.get(i);
            if (!(li.image() instanceof ImageSource.RawPixels raw)) {
                throw new IllegalArgumentException("labelled data: image " + li.id() + " is not raw pixels (decode it first)");
            }
            resizeInto(raw, pixels, i * per, imageSize);
            Normalization.normalizeChw(pixels, i * per, imageSize * imageSize);
        }
        return pixels;
    }

    /** "T-shirt/top" → "t-shirt or top", "Ankle boot" → "ankle boot": words a caption would use. */
    public static String readable(String className) {
        return className.replace("/", " or ").toLowerCase(Locale.ROOT);
    }

    /** Bilinear resize (half-pixel centres) of 8-bit pixels into planar [0, 1] floats. */
    static void resizeInto(ImageSource.RawPixels raw, float[] dst, int off, int size) {
        int plane = size * size;
        double sx = (double) raw.width() / size, sy = (double) raw.height() / size;
        for (int y = 0; y < size; y++) {
            double fy = Math.max(0, Math.min(raw.height() - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy, y1 = Math.min(y0 + 1, raw.height() - 1);
            double wy = fy - y0;
            for (int x = 0; x < size; x++) {
                double fx = Math.max(0, Math.min(raw.width() - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx, x1 = Math.min(x0 + 1, raw.width() - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    int ch = raw.channels() == 1 ? 0 : c;
                    double top = raw.get(x0, y0, ch) * (1 - wx) + raw.get(x1, y0, ch) * wx;
                    double bottom = raw.get(x0, y1, ch) * (1 - wx) + raw.get(x1, y1, ch) * wx;
                    dst[off + c * plane + y * size + x] = (float) ((top * (1 - wy) + bottom * wy) / 255.0);
                }
            }
        }
    }

    @Override
    public List<String> captions(int index) {
        String name = classNames.get(labels[index]);
        return templates.stream().map(t -> t.replace("{}", name)).toList();
    }

    public int[] labels() {
        return labels.clone();
    }

    /** Class names as captions use them. */
    public List<String> classNames() {
        return classNames;
    }

    public List<String> templates() {
        return templates;
    }
}
