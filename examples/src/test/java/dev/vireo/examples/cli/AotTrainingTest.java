package dev.vireo.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's AOT training run: every command it runs succeeds, and it leaves no scratch folder behind. */
class AotTrainingTest {
    @Test
    void everyCommandSucceedsAndTheScratchFolderIsGone() throws Exception {
        long before = scratchFolders();
        assertThat(AotTraining.run()).as("failing commands").isZero();
        assertThat(scratchFolders()).isEqualTo(before);
    }

    private static long scratchFolders() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("vireo-aot-training")).count();
        }
    }
}
