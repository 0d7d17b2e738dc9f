package dev.vireo.models.train;

/**
 * Image-text data that also knows what lies under each patch of its images (the shapes world's
 * generator does): the targets of masked region classification.
 */
public interface RegionLabelledData extends ImageTextData {
    /** Number of region classes (class 0 is the background). */
    int regionClasses();

    /** The class at the centre of each patch of image {@code index} cut grid × grid, row-major. */
    int[] regionLabels(int index, int grid);
}
