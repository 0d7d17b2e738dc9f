package dev.vireo.models.data.shapes;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.data.ImageSource;
import dev.vireo.models.data.ImageTextSample;

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

    /** The first (left or top) shape: the label of a one-shape scene. */
    public PlacedShape mainShape() {
        return shapes.getFirst();
    }
}
