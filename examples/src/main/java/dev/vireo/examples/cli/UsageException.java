package dev.vireo.examples.cli;

/** Bad command-line arguments: reported as one line plus the command's usage, exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
