package dev.vireo.examples.projects;

import dev.vireo.examples.data.DataFetcher;
import dev.vireo.examples.lessons.Lesson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs project 4 on its small budget: it must pass its own checks and leave its table, plot and figures (skipped without Fashion-MNIST). */
class P4FineTuneClipTest {
    @TempDir
    Path dir;

    @Test
    void quickRunPassesItsChecks() throws Exception {
        Path dataDir = DataFetcher.defaultDataDir().toAbsolutePath();
        assumeTrue(DataFetcher.isPresent(dataDir, "fashion-mnist"), "P4FineTuneClip needs fashion-mnist, which is not in " + dataDir
                + ": fetch it with bin/vireo data fetch fashion-mnist or set -Dvireo.dataDir to a folder that has it");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = new P4FineTuneClip().run(new Lesson.Context(new PrintStream(buf, true, StandardCharsets.UTF_8), dir, true));
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(printed).isTrue();
        assertThat(printed).contains("zero-shot", "linear probe", "fine-tuned end to end", "WiSE-FT α = 0.50");
        assertThat(dir.resolve("p4_wiseft.png")).isNotEmptyFile();
        assertThat(dir.resolve("p4_metrics.json")).content().contains("\"linear_probe\"", "\"wise_ft\"");
    }
}
