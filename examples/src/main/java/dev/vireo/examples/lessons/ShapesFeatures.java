package dev.vireo.examples.lessons;

import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesWorld;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Precomputed features of shapes-world scenes for the lessons that use {@code SimpleMultimodalModel}:
 * an image is its 32×32 render average-pooled to 8×8 RGB and centred (192 values); a caption is a
 * bag of words over the world's fixed vocabulary (which words occur, each 0 or 1). No backbone is
 * trained: the two projection towers must learn to meet in one space from these raw vectors.
 */
public final class ShapesFeatures {
    /** Pixels per image side before pooling, and after. */
    public static final int SIDE = 32, POOLED = 8;
    /** Width of an image feature: 8·8 cells × 3 channels. */
    public static final int IMAGE_DIM = POOLED * POOLED * 3;

    /** N scenes with one caption each: image features (N, 192), text features (N, V). */
    public record Pairs(List<ShapeScene> scenes, List<String> captions, Tensor images, Tensor texts) {
        public int size() {
            return scenes.size();
        }

        /** Rows [from, from + count) of both feature tables, as tensors. */
        public Tensor imageRows(int from, int count) {
            return images.narrow(0, from, count).contiguous(); // (count, 192)
        }

        public Tensor textRows(int from, int count) {
            return texts.narrow(0, from, count).contiguous();  // (count, V)
        }
    }

    private static final List<String> VOCABULARY = vocabulary();

    private ShapesFeatures() {}

    /** The caption vocabulary: every word any caption of the shapes world can use, sorted. */
    public static List<String> vocabulary() {
        if (VOCABULARY != null) return VOCABULARY;
        TreeSet<String> words = new TreeSet<>();
        for (ShapeScene s : ShapesWorld.generate(99, 2000, SIDE)) {
            for (String c : s.captions()) words.addAll(List.of(c.split(" ")));
        }
        return List.copyOf(words);
    }

    /** Scenes of the train (seed 1) or test (seed 2) split with their most complete caption. */
    public static Pairs split(boolean train, int count, int minShapes, int maxShapes) {
        ShapesWorld.Config config = new ShapesWorld.Config(SIDE, minShapes, maxShapes);
        List<ShapeScene> scenes = train ? ShapesWorld.train(count, config) : ShapesWorld.test(count, config);
        List<String> captions = new ArrayList<>();
        for (ShapeScene s : scenes) captions.add(s.captions().getFirst());
        return new Pairs(scenes, captions, images(scenes), bagOfWords(captions));
    }

    /** Images → (N, 192): mean of each 4×4 block per channel, shifted to [-0.5, 0.5]. */
    public static Tensor images(List<ShapeScene> scenes) {
        int block = SIDE / POOLED;
        float[] out = new float[scenes.size() * IMAGE_DIM];                 // (N, 8, 8, 3)
        for (int n = 0; n < scenes.size(); n++) {
            float[] chw = scenes.get(n).renderChw();                        // (3, 32, 32)
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        int cell = (y / block) * POOLED + x / block;
                        out[n * IMAGE_DIM + cell * 3 + c] += chw[c * SIDE * SIDE + y * SIDE + x] / (block * block);
                    }
                }
            }
        }
        for (int i = 0; i < out.length; i++) out[i] -= 0.5f;
        return Tensor.of(out, scenes.size(), IMAGE_DIM);                    // (N, 192)
    }

    /** Captions → (N, V): 1 where the caption uses vocabulary word v. */
    public static Tensor bagOfWords(List<String> captions) {
        List<String> vocab = vocabulary();
        float[] out = new float[captions.size() * vocab.size()];            // (N, V)
        for (int n = 0; n < captions.size(); n++) {
            for (String w : captions.get(n).split(" ")) {
                int v = vocab.indexOf(w);
                if (v < 0) throw new IllegalArgumentException("bag of words: '" + w + "' of \"" + captions.get(n) + "\" is not in the vocabulary");
                out[n * vocab.size() + v] = 1f;
            }
        }
        return Tensor.of(out, captions.size(), vocab.size());               // (N, V)
    }
}
