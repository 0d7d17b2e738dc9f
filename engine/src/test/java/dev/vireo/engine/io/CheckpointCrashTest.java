package dev.vireo.engine.io;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child JVM that is saving checkpoints in a loop ({@link CheckpointSaveLoop}) a few
 * milliseconds after a save has created its temporary file, so in the middle of writing it, and
 * checks the checkpoint left on disk still loads whole: at least as new as the last save the child
 * reported, every value consistent.
 */
class CheckpointCrashTest {
    private static final int FLOATS = 1 << 21; // 8 MB per tensor: a save takes long enough to be interrupted
    private static final int RUNS = 3;

    @TempDir
    Path dir;

    @Test
    void aKilledSaveLeavesThePreviousCheckpointLoadable() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Rng rng = new Rng(99);
        int interrupted = 0;
        for (int run = 0; run < RUNS; run++) {
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"),
                    CheckpointSaveLoop.class.getName(), file.toString(), Integer.toString(FLOATS))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            AtomicLong lastSaved = new AtomicLong();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("saved ")) lastSaved.set(Long.parseLong(line.substring(6)));
                    }
                } catch (IOException ignored) {
                    // the stream closes when the child is killed
                }
            });
            long target = 2 + rng.nextInt(3);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lastSaved.get() < target && System.nanoTime() < deadline && child.isAlive()) Thread.sleep(1);
            assertThat(lastSaved.get()).as("child saved %d checkpoints in time", target).isGreaterThanOrEqualTo(target);
            while (leftovers().isEmpty() && System.nanoTime() < deadline && child.isAlive()) Thread.onSpinWait(); // the next save has begun
            Thread.sleep(rng.nextInt(4));
            long reported = lastSaved.get();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join();

            Checkpoint c = Checkpoint.load(file);
            assertThat(c.step()).isGreaterThanOrEqualTo(reported);
            assertThat(c.configJson()).isEqualTo("{\"step\":" + c.step() + "}");
            for (float v : c.model().get("w").toArray()) assertThat(v).isEqualTo((float) c.step());
            for (float v : c.optimizer().values("w.momentum_buffer", new int[] {FLOATS})) assertThat(v).isEqualTo((float) c.step());
            if (leftovers().size() > 0) interrupted++;
            for (Path tmp : leftovers()) Files.delete(tmp);
        }
        // each kill waits for a save to begin (its temp file appears) and lands 0-3 ms later, while 16 MB are written and forced
        assertThat(interrupted).as("kills that landed mid-save (a temp file was left)").isPositive();
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
