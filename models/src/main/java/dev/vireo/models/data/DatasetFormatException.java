package dev.vireo.models.data;

import dev.vireo.engine.io.OneLine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that does not follow its format. The message always names the file and the entry
 * (line, array element, tar member or byte offset) where reading stopped, so the fix is obvious, on
 * one line whatever the file's bytes it quotes ({@link OneLine}).
 */
public class DatasetFormatException extends IOException {
    private final Path file;
    private final String entry;

    public DatasetFormatException(Path file, String entry, String problem) {
        super(OneLine.of(file + " (" + entry + "): " + problem));
        this.file = file;
        this.entry = entry;
    }

    public DatasetFormatException(Path file, String entry, String problem, Throwable cause) {
        super(OneLine.of(file + " (" + entry + "): " + problem), cause);
        this.file = file;
        this.entry = entry;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }

    /** Where in the file: "line 7", "annotations[3]", "member 000012.jpg", ... */
    public String entry() {
        return entry;
    }
}
