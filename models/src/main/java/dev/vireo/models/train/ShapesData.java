package dev.vireo.models.train;

import dev.vireo.models.data.shapes.PlacedShape;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;

import java.util.ArrayList;
import java.util.List;

/** The built-in shapes world as image–text data: scenes rendered once and normalised as CLIP expects. */
public final class ShapesData extends PixelImageData implements RegionLabelledData {
    private final List<ShapeScene> scenes;
    private final boolean partPhrases;

    public ShapesData(List<ShapeScene> scenes, int imageSize) {
        this(scenes, imageSize, false);
    }

    /**
     * With {@code partPhrases}, a two-shape scene is also captioned by each of its shapes alone ("a red
     * star"): true of the scene, and what a model must match to ground one object of several.
     */
    public ShapesData(List<ShapeScene> scenes, int imageSize, boolean partPhrases) {
        super(imageSize, render(scenes, imageSize));
        this.scenes = scenes;
        this.partPhrases = partPhrases;
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
        return split(train, count, config, false);
    }

    /** As above, with each shape of a two-shape scene as a caption too when {@code partPhrases}. */
    public static ShapesData split(boolean train, int count, ShapesWorld.Config config, boolean partPhrases) {
        List<ShapeScene> scenes = train ? ShapesWorld.train(count, config) : ShapesWorld.test(count, config);
        return new ShapesData(scenes, config.imageSize(), partPhrases);
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
        ShapeScene scene = scenes.get(index);
        if (!partPhrases || scene.shapes().size() < 2) return scene.captions();
        List<String> captions = new ArrayList<>(scene.captions());
        for (PlacedShape shape : scene.shapes()) captions.add("a " + shape.shortPhrase());
        return captions;
    }
}
