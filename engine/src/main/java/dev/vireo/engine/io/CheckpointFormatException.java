package dev.vireo.engine.io;

/**
 * A weights or checkpoint file that cannot be read as it should: truncated, malformed header,
 * inconsistent offsets, a tensor of the wrong shape for the parameter it is loaded into. The
 * message names the file and, where one is involved, the tensor, on one line ({@link OneLine}).
 */
public final class CheckpointFormatException extends RuntimeException {
    public CheckpointFormatException(String message) {
        super(OneLine.of(message));
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(OneLine.of(message), cause);
    }
}
