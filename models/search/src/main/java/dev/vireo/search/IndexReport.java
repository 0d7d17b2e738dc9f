package dev.vireo.search;

import java.nio.file.Path;
import java.util.List;

/** What an update did: images embedded (new or changed), left as they were, removed, and skipped with why. */
public record IndexReport(int indexed, int unchanged, int removed, List<Skipped> skipped, double seconds) {
    /** A file that could not be indexed and the one-line reason. */
    public record Skipped(Path file, String error) {}

    public IndexReport {
        skipped = List.copyOf(skipped);
    }
}
