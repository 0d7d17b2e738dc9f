package dev.vireo.models.train;

import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;

import java.util.List;

/** The built-in shapes world as image–text data: scenes rendered once and normalised as CLIP expects. */
public final class ShapesData extends PixelImageData implements RegionLabelledData {
    private final List<ShapeScene> scenes;

    public ShapesData(List<ShapeScene> scenes, int imageSize) {
        super(imageSize, render(scenes, imageSize));
        this.scenes = scenes;
    }

    private static float[] render(List<ShapeScene> scenes, int imageSize) {
        int per = 3 * imageSize * imageSize;
        float[] pixels = new float[scenes.size() * per]; // (N, 3, S, S)
        for (int i = 0; i < scenes.size(); i++) {
            ShapeScene s = scenes.get(i);
            if (s.imageSize() != imageSize) {
                throw new IllegalArgumentException("shapes data: scene " + i + " is " + s.imageSize() + " px, expected " + imageSize);
            }
            System.arraycopy(s.renderChw(), 0, pixels, i * per, per);
            Normalization.normalizeChw(pixels, i * per, imageSize * imageSize);
        }
        return pixels;
    }

    /** {@code count} scenes of the training (seed 1) or held-out (seed 2) world. */
    public static ShapesData split(boolean train, int count, ShapesWorld.Config config) {
        List<ShapeScene> scenes = train ? ShapesWorld.train(count, config) : ShapesWorld.test(count, config);
        return new ShapesData(scenes, config.imageSize());
    }

    public List<ShapeScene> scenes() {
        return scenes;
    }

    @Override
    public int regionClasses() {
        return ShapeScene.regionClasses();
    }

    @Override
    public int[] regionLabels(int index, int grid) {
        return scenes.get(index).patchLabels(grid);
    }

    @Override
    public List<String> captions(int index) {
        return scenes.get(index).captions();
    }
}
