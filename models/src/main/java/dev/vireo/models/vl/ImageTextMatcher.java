package dev.vireo.models.vl;

import dev.vireo.models.image.RgbImage;

import java.util.List;

/**
 * A model that says whether an image and a text belong together, two ways: the image-text matching
 * head on the fused representation ({@code matchProbability}, the softmax of its two logits, as
 * ALBEF and BLIP compute it) and the cosine of the two unimodal embeddings (the contrastive score).
 * Each implementation preprocesses images and tokenizes texts as its checkpoint expects.
 */
public interface ImageTextMatcher extends AutoCloseable {
    /** The scores of one image-text pair. */
    record PairScore(double matchProbability, double cosine) {}

    /** Scores the pairs (images[i], texts[i]); both lists have the same length. */
    List<PairScore> scorePairs(List<RgbImage> images, List<String> texts);

    @Override
    default void close() throws Exception {}
}
