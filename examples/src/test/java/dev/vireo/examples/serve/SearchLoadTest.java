package dev.vireo.examples.serve;

import dev.vireo.models.Clip;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A small run of the load test: every query answered, the counts add up, latencies ordered. */
class SearchLoadTest {
    @Test
    void concurrentMixedQueriesAllGetAnswers() throws Exception {
        try (Clip clip = Clip.load(Path.of("../models/src/test/resources/hf/tiny-clip"))) {
            SearchLoad.Result r = SearchLoad.run(clip, 60, 4, 80, 0.3, 1, Duration.ofSeconds(120), new PrintStream(OutputStream.nullOutputStream()));
            assertThat(r.errors()).isZero();
            assertThat(r.queries()).isEqualTo(80);
            assertThat(r.textQueries()).isBetween(40, 75);
            assertThat(r.p50Ms()).isPositive().isLessThanOrEqualTo(r.p99Ms());
            assertThat(r.p99Ms()).isLessThanOrEqualTo(r.maxMs());
            assertThat(r.queriesPerSecond()).isPositive();
        }
    }
}
