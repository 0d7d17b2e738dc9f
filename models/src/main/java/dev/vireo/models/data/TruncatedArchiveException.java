package dev.vireo.models.data;

import java.nio.file.Path;

/** An archive that ends before it should (a header, a member's data or the end-of-archive blocks cut off). */
public final class TruncatedArchiveException extends DatasetFormatException {
    public TruncatedArchiveException(Path file, String entry, String problem) {
        super(file, entry, problem);
    }
}
