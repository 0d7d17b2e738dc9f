package dev.vireo.engine.io;

import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills (SIGKILL) a child JVM that saves checkpoints in a loop ({@link CheckpointSaveLoop}) as soon as
 * a save's temporary file has data, and proves from what the kill left that it landed in the middle of
 * writing: the temporary file is there, its header names the step being saved, and it holds fewer bytes
 * than that header says the file has. Then the checkpoint on disk must be exactly the previous step,
 * whole and consistent, and the next save must delete the torn temporary file. A kill that lands
 * after the data was written (while it is forced or renamed) proves nothing and is tried again:
 * {@link #KILLS} kills must be proven within {@link #ATTEMPTS} launches.
 */
class CheckpointCrashTest {
    private static final int FLOATS = 1 << 22; // 16 MB per tensor, two tensors: writing them takes tens of milliseconds
    private static final int KILLS = 3;
    private static final int ATTEMPTS = 20;
    private static final Pattern STEP = Pattern.compile("\"step\":\"(\\d+)\"");
    private static final Pattern DATA_END = Pattern.compile("\"data_offsets\":\\[\\d+,(\\d+)]");

    @TempDir
    Path dir;

    @Test
    void aSaveKilledMidWriteLeavesThePreviousCheckpointAndTheNextSaveCleansUp() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Rng rng = new Rng(99);
        int proven = 0, attempts = 0;
        List<String> unproven = new ArrayList<>();
        while (proven < KILLS && attempts < ATTEMPTS) {
            attempts++;
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
            try {
                long target = 2 + rng.nextInt(3);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (lastSaved.get() < target && System.nanoTime() < deadline && child.isAlive()) Thread.sleep(1);
                assertThat(lastSaved.get()).as("child saved %d checkpoints in time", target).isGreaterThanOrEqualTo(target);
                // the next save has begun writing: its temporary file has data (or three saves went by unseen: try again)
                long before = lastSaved.get();
                while (System.nanoTime() < deadline && child.isAlive() && lastSaved.get() < before + 3
                        && leftovers().stream().noneMatch(p -> size(p) > 0)) {
                    Thread.onSpinWait();
                }
                assertThat(child.isAlive()).as("child still saving").isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join();
            long reported = lastSaved.get();

            Checkpoint c = Checkpoint.load(file);
            assertThat(c.step()).isGreaterThanOrEqualTo(reported);
            assertWhole(c);
            List<Path> left = leftovers();
            assertThat(left).as("temporary files left").hasSizeLessThanOrEqualTo(1);
            Torn torn = left.isEmpty() ? null : torn(left.getFirst());
            if (torn != null && torn.bytes < torn.fullBytes) {
                proven++;
                assertThat(c.step()).as("the checkpoint before the torn save of step %d", torn.step).isEqualTo(torn.step - 1);
            } else {
                unproven.add(left.isEmpty() ? "none left" : torn == null ? "no header yet" : "written whole");
            }

            // the next save deletes the torn temporary file and lands whole
            long next = 1000 + attempts;
            small(next).save(file);
            assertThat(leftovers()).as("temporary files after the next save").isEmpty();
            assertThat(Checkpoint.load(file).step()).isEqualTo(next);
        }
        assertThat(proven).as("kills proven mid-write in %d launches (the others: %s)", attempts, unproven).isEqualTo(KILLS);
    }

    /** The state {@link CheckpointSaveLoop} saves at a step: every value equal to the step. */
    private static void assertWhole(Checkpoint c) {
        assertThat(c.configJson()).isEqualTo("{\"step\":" + c.step() + "}");
        assertAll("w", c.model().get("w").toArray(), c.step());
        assertAll("w.momentum_buffer", c.optimizer().values("w.momentum_buffer", new int[] {FLOATS}), c.step());
    }

    private static void assertAll(String what, float[] values, long step) {
        assertThat(values).as(what).hasSize(FLOATS);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != step) throw new AssertionError(what + "[" + i + "] = " + values[i] + " in the checkpoint of step " + step);
        }
    }

    /** A temporary file as the kill left it: its length, and the step and length its header names. */
    private record Torn(long bytes, long step, long fullBytes) {}

    /** Reads a killed save's temporary file, or null when its header is not all there. */
    private static Torn torn(Path tmp) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
            long bytes = ch.size();
            if (bytes < 8) return null;
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long headerLength = len.flip().getLong();
            if (bytes < 8 + headerLength) return null;
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            ch.read(header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            Matcher step = STEP.matcher(json);
            assertThat(step.find()).as("step in the header of %s", tmp).isTrue();
            long dataEnd = 0;
            for (Matcher m = DATA_END.matcher(json); m.find(); ) dataEnd = Math.max(dataEnd, Long.parseLong(m.group(1)));
            assertThat(dataEnd).as("tensor data in the header").isEqualTo(2L * FLOATS * Float.BYTES);
            return new Torn(bytes, Long.parseLong(step.group(1)), 8 + headerLength + dataEnd);
        }
    }

    private static Checkpoint small(long step) {
        Tensor w = Tensor.of(new float[] {step}, 1);
        OptimizerState opt = new OptimizerState("sgd", Map.of("group.0.lr", "0.1"), Map.of("w.momentum_buffer", Tensor.of(new float[] {step}, 1)));
        return new Checkpoint(step, new Rng(1).state(), "{\"step\":" + step + "}", Map.of("w", w), opt, null);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0; // renamed or deleted since it was listed
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
