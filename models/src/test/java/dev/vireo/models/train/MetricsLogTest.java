package dev.vireo.models.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSONL log survives what a crash or a full disk leaves behind when a run resumes. */
class MetricsLogTest {
    @TempDir
    Path dir;

    private Path logOfThreeSteps() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = new MetricsLog(file, 0)) {
            for (int step = 1; step <= 3; step++) log.log(step, 4.0 - step, 1e-3, 2.5, 100);
        }
        return file;
    }

    @Test
    void resumeKeepsLinesUpToTheCheckpointAndAppendsAfterThem() throws IOException {
        Path file = logOfThreeSteps();
        try (MetricsLog log = new MetricsLog(file, 2)) {
            assertThat(log.losses()).extracting(r -> r[0]).containsExactly(1.0, 2.0);
            log.log(3, 0.5, 1e-3, 2.5, 100);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains("\"step\":3").contains("\"loss\":0.5");
    }

    @Test
    void aTornLastLineIsDroppedSoTheRunCanResume() throws IOException {
        Path file = logOfThreeSteps();
        Files.writeString(file, "{\"step\":4,\"loss\":0.9,\"lr\":0.00", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (MetricsLog log = new MetricsLog(file, 3)) {
            assertThat(log.losses()).hasSize(3);
        }
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(3).allMatch(l -> l.endsWith("}"));
    }

    @Test
    void aDamagedLineInsideTheLogIsAnErrorNamingFileAndLine() throws IOException {
        Path file = logOfThreeSteps();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Files.write(file, List.of(lines.get(0), "{\"step\":2,\"lo", lines.get(2)), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new MetricsLog(file, 3)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 2");
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(3); // nothing lost
    }
}
