package dev.vireo.models.data;

import dev.vireo.engine.tensor.Rng;

/**
 * Decode-and-preprocess for one image source, the step the image package supplies (decoder,
 * resize, crop, normalise); {@code rng} is the sample's own generator for random augmentation.
 */
@FunctionalInterface
public interface ImageTransform<T> {
    T apply(ImageSource image, Rng rng) throws Exception;
}
