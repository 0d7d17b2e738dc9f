package dev.vireo.models.train;

import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;

import java.util.ArrayList;
import java.util.List;

/** The built-in shapes world as image–text data: scenes rendered once and normalised as CLIP expects. */
public final class ShapesData extends PixelImageData implements RegionLabelledData {
    private final List<ShapeScene> scenes;
    private final List<List<String>> captions; // per scene

    public ShapesData(List<ShapeScene> scenes, int imageSize) {
        super(imageSize, render(scenes, imageSize));
        this.scenes = scenes;
        this.captions = scenes.stream().map(ShapeScene::captions).toList();
    }

    private ShapesData(ShapesData data, List<List<String>> captions) {
        super(data.imageSize(), data.pixels());
        this.scenes = data.scenes;
        this.captions = captions;
    }

    /**
     * The same scenes (the same pixels, not copied) where a scene of several shapes is also
     * captioned by each shape's own phrase ({@link ShapeScene#partPhrases()}, "a red circle"), as
     * a one-shape scene already is: region descriptions beside the whole-scene captions, the part
     * Visual Genome's region captions play in ALBEF's pretraining data. A phrase is then a known
     * match of every scene holding that shape, so ITM never draws such a scene as its negative and
     * ITC shares its target among them; this is what teaches the fusion layers which patches a
     * lone phrase names, hence grounding ({@code VlGrounding}).
     */
    public ShapesData withPartPhrases() {
        List<List<String>> out = new ArrayList<>(scenes.size());
        for (ShapeScene scene : scenes) {
            if (scene.shapes().size() < 2) {
                out.add(scene.captions());
                continue;
            }
            List<String> all = new ArrayList<>(scene.captions());
            for (String phrase : scene.partPhrases()) if (!all.contains(phrase)) all.add(phrase);
            out.add(List.copyOf(all));
        }
        return new ShapesData(this, out);
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
        return captions.get(index);
    }
}
