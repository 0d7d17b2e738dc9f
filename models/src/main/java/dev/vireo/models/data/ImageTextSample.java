package dev.vireo.models.data;

import java.util.List;

/**
 * One image with every caption a dataset gives it (COCO has about five), plus the split it belongs
 * to. The loader samples one caption per epoch for training; evaluation uses them all.
 */
public record ImageTextSample(String id, ImageSource image, List<String> captions, String split) {
    public ImageTextSample {
        if (captions.isEmpty()) throw new IllegalArgumentException("sample " + id + " has no caption");
        captions = List.copyOf(captions);
    }
}
