package dev.vireo.models.image;

import dev.vireo.engine.io.OneLine;

/**
 * Thrown when an image file cannot be decoded (corrupt, truncated, unsupported format or colour model).
 * The message always names the file, so a failing sample in a large data set can be found.
 */
public final class ImageDecodeException extends RuntimeException {
    private final String source;

    public ImageDecodeException(String source, String reason, Throwable cause) {
        super(OneLine.of("cannot decode image " + source + ": " + reason), cause);
        this.source = source;
    }

    public ImageDecodeException(String source, String reason) {
        this(source, reason, null);
    }

    /** The file name or description of the image that failed. */
    public String source() {
        return source;
    }
}
