package dev.vireo.models.data.shapes;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.data.ImageSource;
import dev.vireo.models.data.ImageTextSample;

import java.util.ArrayList;
import java.util.List;

/**
 * One generated scene: the seed it came from, its shapes (left/top one first), caption paraphrases
 * (the first is the most complete) and question–answer pairs. Pixels are rendered on demand, so a
 * list of scenes is cheap to hold.
 */
public record ShapeScene(long seed, int imageSize, List<PlacedShape> shapes, List<String> captions, List<QuestionAnswer> questions) {
    public ShapeScene {
        shapes = List.copyOf(shapes);
        captions = List.copyOf(captions);
        questions = List.copyOf(questions);
    }

    /** RGB bytes, {@code [H][W][3]} interleaved. */
    public byte[] renderRgb() {
        return ShapeRasterizer.renderRgb(shapes, imageSize);
    }

    /** Planar floats in [0, 1], {@code [3][H][W]}: exactly the bytes of {@link #renderRgb()} divided by 255. */
    public float[] renderChw() {
        byte[] rgb = renderRgb();
        int plane = imageSize * imageSize;
        float[] chw = new float[3 * plane]; // [3, H, W]
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) chw[c * plane + i] = (rgb[i * 3 + c] & 0xFF) / 255f;
        }
        return chw;
    }

    /** The scene as a tensor. */
    public Tensor toTensor() {
        return Tensor.of(renderChw(), 3, imageSize, imageSize); // [3, H, W]
    }

    /** The scene as an image–text sample whose image is raw RGB pixels. */
    public ImageTextSample toSample(String id, String split) {
        ImageSource image = new ImageSource.RawPixels("shapes:" + id, renderRgb(), 0, imageSize, imageSize, 3);
        return new ImageTextSample(id, image, captions, split);
    }

    /** Classes of {@link #patchLabels}: background, then one per (kind, colour). */
    public static int regionClasses() {
        return 1 + ShapeKind.values().length * ShapeColour.values().length;
    }

    /**
     * What lies at the centre of each patch of a grid × grid cut (row-major): 0 for the background,
     * else 1 + kind · colours + colour of the shape painted there (the later shape where two meet,
     * as the rasterizer paints it): the exact labels of masked region classification.
     */
    public int[] patchLabels(int grid) {
        if (grid < 1 || imageSize % grid != 0) {
            throw new IllegalArgumentException("patch labels: a " + imageSize + " px scene does not cut into a " + grid + " x " + grid + " grid");
        }
        int[] labels = new int[grid * grid]; // (grid, grid)
        double cell = imageSize / (double) grid;
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                double x = (gx + 0.5) * cell, y = (gy + 0.5) * cell;
                for (PlacedShape shape : shapes) {
                    if (shape.kind().covers((x - shape.centreX()) / shape.radius(), (y - shape.centreY()) / shape.radius())) {
                        labels[gy * grid + gx] = 1 + shape.kind().ordinal() * ShapeColour.values().length + shape.colour().ordinal();
                    }
                }
            }
        }
        return labels;
    }

    /**
     * Each shape's own phrase as a one-shape scene's captions say it, "a small red circle" and "a
     * red circle", for every shape in turn: descriptions of a region, true of the scene though they
     * leave the other shapes out (the part phrases {@code vireo pretrain --part-phrases} adds to a
     * scene's captions).
     */
    public List<String> partPhrases() {
        List<String> out = new ArrayList<>();
        for (PlacedShape shape : shapes) {
            out.add("a " + shape.phrase());
            out.add("a " + shape.shortPhrase());
        }
        return out;
    }

    /** The first (left or top) shape: the label of a one-shape scene. */
    public PlacedShape mainShape() {
        return shapes.getFirst();
    }
}
