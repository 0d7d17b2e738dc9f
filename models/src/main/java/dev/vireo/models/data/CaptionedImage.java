package dev.vireo.models.data;

import java.util.List;

/**
 * A prepared image with the caption chosen for this epoch ({@code caption}, for training) and all
 * of its captions ({@code captions}, for retrieval evaluation).
 */
public record CaptionedImage<T>(String id, T image, String caption, List<String> captions) {}
