package dev.vireo.examples.projects;

import dev.vireo.examples.data.DataFetcher;
import dev.vireo.examples.lessons.Lesson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs every project on its small budget: each must pass its checks; each has its page. */
class ProjectsTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyProjectPassesItsChecksOnASmallBudget() {
        return Projects.all().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            Path dataDir = DataFetcher.defaultDataDir().toAbsolutePath();
            for (String name : e.needs()) {
                assumeTrue(DataFetcher.isPresent(dataDir, name), e.name() + " needs " + name + ": bin/vireo data fetch " + name);
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            boolean ok = e.factory().get().run(new Lesson.Context(new PrintStream(buf, true, StandardCharsets.UTF_8), dir.resolve(e.name()), true));
            assertThat(ok).as(buf.toString(StandardCharsets.UTF_8)).isTrue();
        }));
    }

    @Test
    void everyProjectHasItsPageAndIsListedOnTheIndex() throws Exception {
        Path docs = Path.of("docs/projects");
        String index = Files.readString(docs.resolve("README.md"));
        for (Projects.Entry e : Projects.all()) {
            assertThat(docs.resolve(e.name() + ".md")).as(e.name()).isRegularFile();
            assertThat(index).contains(e.name());
        }
    }
}
