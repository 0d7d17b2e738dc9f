package dev.vireo.models.eval;

import dev.vireo.models.data.shapes.CompositionalPairs;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.vl.VlScorer;

import java.util.ArrayList;
import java.util.List;

/**
 * The Winoground-style compositional test ({@link CompositionalPairs}, {@link WinogroundScores})
 * scored three ways: by a fusion model's matching probability, by the cosine of its own contrastive
 * embeddings, and by a CLIP's cosine. Item n's images are 2n and 2n+1 of the rendered list, its
 * captions texts 2n and 2n+1; score s(c, i) sits at 4n + 2c + i.
 */
public final class CompositionalEval {
    private CompositionalEval() {}

    /** The items' images in order (image0, image1 of item 0, then of item 1, ...), normalised as training saw them. */
    public static ShapesData images(List<CompositionalPairs.Item> items, int imageSize) {
        List<ShapeScene> scenes = new ArrayList<>(2 * items.size());
        for (CompositionalPairs.Item item : items) {
            scenes.add(item.image0());
            scenes.add(item.image1());
        }
        return new ShapesData(scenes, imageSize);
    }

    /** The items' captions in order (caption0, caption1 of item 0, ...). */
    public static List<String> captions(List<CompositionalPairs.Item> items) {
        List<String> out = new ArrayList<>(2 * items.size());
        for (CompositionalPairs.Item item : items) {
            out.add(item.caption0());
            out.add(item.caption1());
        }
        return out;
    }

    /** Scores by the matching head: s(c, i) = P(match | caption c, image i). */
    public static WinogroundScores.Breakdown matching(VlScorer scorer, List<CompositionalPairs.Item> items) {
        int n = items.size();
        VlScorer.Images images = new VlEvaluator(scorer).images(images(items, scorer.model().config().vision().imageSize()));
        VlScorer.Texts texts = scorer.encodeTexts(captions(items));
        int[] image = new int[4 * n], text = new int[4 * n];
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    image[4 * k + 2 * c + i] = 2 * k + i;
                    text[4 * k + 2 * c + i] = 2 * k + c;
                }
            }
        }
        return WinogroundScores.compute(scorer.matchProbabilities(images, texts, image, text), kinds(items));
    }

    /** Scores by the fusion model's own contrastive embeddings (its dual-encoder half). */
    public static WinogroundScores.Breakdown contrastive(VlScorer scorer, List<CompositionalPairs.Item> items) {
        VlScorer.Images images = new VlEvaluator(scorer).images(images(items, scorer.model().config().vision().imageSize()));
        float[] cosine = scorer.cosine(images, scorer.encodeTexts(captions(items))); // (2N, 2N)
        if (cosine == null) throw new IllegalArgumentException("compositional: an early-fusion model has no contrastive embeddings");
        return WinogroundScores.compute(fromCosine(cosine, items.size()), kinds(items));
    }

    /** Scores by L2-normalised embeddings: images (2N, E) and texts (2N, E) row-major, as a CLIP gives them. */
    public static WinogroundScores.Breakdown embeddings(float[] images, float[] texts, int e, List<CompositionalPairs.Item> items) {
        int m = 2 * items.size();
        return WinogroundScores.compute(fromCosine(ClipEvaluator.similarity(images, m, texts, m, e), items.size()), kinds(items));
    }

    /** s(c, i) of item k from an (image × text) cosine matrix over all 2N images and 2N texts. */
    private static float[] fromCosine(float[] cosine, int n) {
        int m = 2 * n;
        float[] scores = new float[4 * n];
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) scores[4 * k + 2 * c + i] = cosine[(2 * k + i) * m + 2 * k + c];
            }
        }
        return scores;
    }

    private static List<String> kinds(List<CompositionalPairs.Item> items) {
        return items.stream().map(CompositionalPairs.Item::kind).toList();
    }
}
