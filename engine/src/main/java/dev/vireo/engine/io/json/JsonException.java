package dev.vireo.engine.io.json;

/**
 * Malformed or unsupported JSON, with the character position where reading stopped.
 * Callers that read a file wrap it in an exception naming the file.
 */
public final class JsonException extends RuntimeException {
    private final int position;

    public JsonException(String message, int position) {
        super(message + " at character " + position);
        this.position = position;
    }

    /** Index of the character in the input where the problem was found. */
    public int position() {
        return position;
    }
}
