package dev.vireo.examples.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * {@link CommandRunner} over {@link ProcessBuilder}: stderr merged into stdout, each line echoed
 * with an indent as progress, the last lines kept for the error message when the tool fails.
 */
final class ProcessCommandRunner implements CommandRunner {
    private static final int TAIL = 20;
    private static final Map<String, String> HINTS = Map.of(
            "apt-get", "Debian's package tool (a Debian or Ubuntu machine)",
            "dpkg-deb", "Debian's dpkg package",
            "npm", "Node.js's npm (apt-get install npm)",
            "mvn", "Apache Maven");

    private final PrintStream progress;

    ProcessCommandRunner(PrintStream progress) {
        this.progress = progress;
    }

    @Override
    public void run(List<String> command, Path workDir) throws IOException {
        String tool = command.getFirst();
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("'" + tool + "' is needed to run `" + String.join(" ", command) + "` but could not be started ("
                    + e.getMessage() + "); install " + HINTS.getOrDefault(tool, tool) + " and make sure it is on the PATH", e);
        }
        process.getOutputStream().close();
        ArrayDeque<String> tail = new ArrayDeque<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                progress.println("    " + line);
                if (tail.size() == TAIL) tail.removeFirst();
                tail.addLast(line);
            }
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running `" + String.join(" ", command) + "`", e);
        }
        if (status != 0) {
            throw new IOException("`" + String.join(" ", command) + "` failed with exit status " + status + " in " + workDir
                    + "; last output:\n  " + String.join("\n  ", tail));
        }
    }
}
