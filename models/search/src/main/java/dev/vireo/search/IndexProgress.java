package dev.vireo.search;

/** Hears an update's progress: how many of the images to embed are done. */
@FunctionalInterface
public interface IndexProgress {
    void embedded(int done, int total);

    IndexProgress NONE = (done, total) -> {};
}
