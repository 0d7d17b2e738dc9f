package dev.vireo.models.train;

import java.util.List;

/**
 * Training or evaluation data for an image–text model, already decoded: images as normalised
 * planar floats of one size, each with one or more captions.
 */
public interface ImageTextData {
    /** Number of images. */
    int size();

    /** Side of the square images. */
    int imageSize();

    /** Writes image {@code index} as normalised floats [3][S][S] into {@code dst[off..]}. */
    void image(int index, float[] dst, int off);

    /** The captions of image {@code index} (at least one). */
    List<String> captions(int index);

    /** An image of the source left out of this data, and why (a decode error, a missing file, ...). */
    record Skipped(String image, String error) {}

    /** The source's images left out as unreadable, in source order (none for generated data). */
    default List<Skipped> skipped() {
        return List.of();
    }
}
