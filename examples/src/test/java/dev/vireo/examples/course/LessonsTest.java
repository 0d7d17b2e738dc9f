package dev.vireo.examples.course;

import dev.vireo.examples.data.DataFetcher;
import dev.vireo.examples.lessons.Lesson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs every lesson in its short mode: each must pass its own check (one that reads fetched data is skipped without it). */
class LessonsTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyLessonPassesItsCheck() {
        return Lessons.all().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            Path dataDir = DataFetcher.defaultDataDir().toAbsolutePath();
            for (String name : e.needs()) {
                assumeTrue(DataFetcher.isPresent(dataDir, name), e.name() + " needs " + name + ", which is not in " + dataDir
                        + ": fetch it with bin/vireo data fetch " + name + " or set -Dvireo.dataDir to a folder that has it");
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            boolean ok = e.factory().get().run(new Lesson.Context(new PrintStream(buf, true, StandardCharsets.UTF_8),
                    dir.resolve(e.name()), true));
            assertThat(ok).as(buf.toString(StandardCharsets.UTF_8)).isTrue();
        }));
    }
}
