package dev.vireo.models.data;

/** A sample failed in fail-fast mode, or the loader was interrupted; the message names the sample. */
public final class DataLoaderException extends RuntimeException {
    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
