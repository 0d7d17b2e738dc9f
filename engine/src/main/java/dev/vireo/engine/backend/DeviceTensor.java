package dev.vireo.engine.backend;

/**
 * A tensor held by a backend (on its device). Only the backend that made it can read it; move
 * data with {@link Backend#upload} and {@link Backend#download}. Closing frees device memory.
 */
public interface DeviceTensor extends AutoCloseable {
    /** The backend that owns this buffer. */
    Backend backend();

    /** The logical shape (row-major, contiguous on the device). */
    int[] shape();

    @Override
    void close();
}
