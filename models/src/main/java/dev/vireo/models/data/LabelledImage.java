package dev.vireo.models.data;

/**
 * One image with a class label: {@code label} is the class index, {@code className} its name
 * (the sub-folder of an image folder, or the dataset's published class list for IDX files).
 */
public record LabelledImage(String id, ImageSource image, int label, String className) {
    public LabelledImage {
        if (label < 0) throw new IllegalArgumentException("image " + id + ": negative label " + label);
    }
}
