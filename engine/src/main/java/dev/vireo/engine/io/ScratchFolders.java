package dev.vireo.engine.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch folders the applications and benchmarks make and remove: a download's staging folder, a lesson's pictures and index, a benchmark's model folder. */
public final class ScratchFolders {
    private ScratchFolders() {}

    /** Deletes a folder and everything in it; nothing to do when it is absent. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
