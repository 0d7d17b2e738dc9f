package dev.vireo.models.data;

/** A sample the loader skipped: when, which one, its image source and why. */
public record SkippedSample(int epoch, int index, String source, String reason) {}
