package dev.vireo.models.data;

/** A prepared image with its class index, for classification and zero-shot evaluation. */
public record LabelledItem<T>(String id, T image, int label) {}
