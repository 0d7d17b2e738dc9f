package dev.vireo.search;

import java.nio.file.Path;

/**
 * How to search: {@link Mode#AUTO} searches exactly up to {@link #EXACT_UP_TO} images and with HNSW
 * above; {@code folder}, when set, keeps only images under it.
 */
public record SearchOptions(Mode mode, Path folder) {
    /** Indexes this small are searched exactly: a scan of their vectors takes well under a millisecond per thousand. */
    public static final int EXACT_UP_TO = 2_000;

    public enum Mode { AUTO, EXACT, APPROXIMATE }

    public static SearchOptions defaults() {
        return new SearchOptions(Mode.AUTO, null);
    }

    public SearchOptions exact() {
        return new SearchOptions(Mode.EXACT, folder);
    }

    public SearchOptions approximate() {
        return new SearchOptions(Mode.APPROXIMATE, folder);
    }

    public SearchOptions under(Path folder) {
        return new SearchOptions(mode, folder == null ? null : folder.toAbsolutePath().normalize());
    }
}
