package dev.vireo.examples.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs an external tool (apt-get, dpkg-deb, npm, mvn) for the {@link DataFetcher}. An interface so
 * tests can check what would run without touching the network.
 */
@FunctionalInterface
public interface CommandRunner {
    /**
     * Runs {@code command} in {@code workDir}; returns normally only when it exits with status 0.
     * A tool that is not installed, or a non-zero exit, is an {@link IOException} whose message
     * names the command and says what to do.
     */
    void run(List<String> command, Path workDir) throws IOException;

    /** The real runner: a child process, its output echoed to {@code progress} line by line. */
    static CommandRunner system(PrintStream progress) {
        return new ProcessCommandRunner(progress);
    }
}
