package dev.vireo.models.data;

import java.util.List;

/** A caption to score: the image's id, its human reference captions (at least one) and the candidate caption. */
public record CaptionCandidate(String id, List<String> references, String candidate) {
    public CaptionCandidate {
        if (references.isEmpty()) throw new IllegalArgumentException("caption " + id + " has no reference");
        references = List.copyOf(references);
    }
}
