package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * `vireo train` killed with SIGKILL twenty times, each at a random moment (seeded) after its launch has
 * trained a step (with a checkpoint every step, some land while one is written), each time restarted
 * with --resume, which must continue from the last checkpoint: the finished run's checkpoint
 * (weights, optimiser state, step) and its log (step, loss, learning rate, temperature) are bit for bit
 * those of a run nobody interrupted, and no temporary file is left. Runs the CLI in child JVMs.
 */
class TrainKillResumeTest {
    private static final List<String> TRAIN = List.of("train", "--model", "tiny", "--data", "shapes:64", "--steps", "60",
            "--batch", "8", "--checkpoint-every", "1", "--quiet");

    @TempDir
    Path dir;

    @Test
    void twentyKillsAndResumesGiveTheBitsOfAnUninterruptedRun() throws Exception {
        // a fault test of the process, not of the kernels: the vector pass is enough
        assumeFalse("scalar".equals(System.getProperty("vireo.kernels")), "runs in the vector-kernel pass");
        Path reference = dir.resolve("reference"), killed = dir.resolve("killed");
        Process whole = train(reference, false);
        assertThat(whole.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(whole.exitValue()).as(log()).isZero();

        Rng rng = new Rng(2026);
        int kills = 0, midSave = 0;
        long lastStep = 0;
        boolean finished = false;
        while (kills < 20) {
            long before = logLines(killed);
            Process p = train(killed, true);
            // once this launch has trained a step, kill it at a random moment of the next few (saves included)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (p.isAlive() && logLines(killed) <= before) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("a resumed run trained no step in 120 s:\n" + log());
                }
                Thread.sleep(10);
            }
            if (p.waitFor(rng.nextInt(400), TimeUnit.MILLISECONDS)) { // finished before its kill
                assertThat(p.exitValue()).as(log()).isZero();
                finished = true;
                break;
            }
            p.destroyForcibly().waitFor(); // SIGKILL
            kills++;
            if (temporaryFiles(killed) > 0) midSave++;
            long step = checkpointStep(killed);
            assertThat(step).as("resume continues, never starts over").isGreaterThanOrEqualTo(lastStep);
            lastStep = step;
        }
        assertThat(lastStep).as("steps done before the last launch").isGreaterThanOrEqualTo(20);
        if (!finished) {
            Process rest = train(killed, true);
            assertThat(rest.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(rest.exitValue()).as(log()).isZero();
        }

        assertThat(kills).as("kills that landed before the run finished (%d during a checkpoint write)", midSave).isGreaterThanOrEqualTo(10);
        Checkpoint a = Checkpoint.load(reference.resolve("checkpoint.safetensors"));
        Checkpoint b = Checkpoint.load(killed.resolve("checkpoint.safetensors"));
        assertThat(b.step()).isEqualTo(a.step()).isEqualTo(60);
        assertSameBits(a.model(), b.model());
        assertSameBits(a.optimizer().tensors(), b.optimizer().tensors());
        assertThat(b.optimizer().scalars()).isEqualTo(a.optimizer().scalars());
        assertThat(logRecords(killed)).isEqualTo(logRecords(reference)).hasSize(60);
        assertThat(temporaryFiles(killed)).as("temporary files left in the run folder").isZero();
    }

    private Process train(Path out, boolean resume) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path")));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("vireo."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.add(Vireo.class.getName());
        command.addAll(TRAIN);
        command.addAll(List.of("--out", out.toString()));
        if (resume) command.add("--resume");
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("children.log").toFile())).start();
    }

    private String log() throws IOException {
        Path file = dir.resolve("children.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void assertSameBits(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, t) -> assertThat(actual.get(name).toArray()).as(name).isEqualTo(t.toArray()));
    }

    /** The log's step, loss, learning rate and temperature per line (its throughput is a timing). */
    private static List<List<String>> logRecords(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<List<String>> records = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            records.add(Stream.of("step", "loss", "lr", "logit_scale").map(k -> n.get(k).asText()).toList());
        }
        return records;
    }

    /** Lines in the run's log so far (0 before it exists). */
    private static long logLines(Path run) throws IOException {
        Path file = run.resolve("metrics.jsonl");
        if (!Files.exists(file)) return 0;
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    /** The step of the run's last complete checkpoint (0 before the first). */
    private static long checkpointStep(Path run) throws IOException {
        Path file = run.resolve("checkpoint.safetensors");
        if (!Files.exists(file)) return 0;
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return Long.parseLong(r.metadata().get("step"));
        }
    }

    private static long temporaryFiles(Path run) throws IOException {
        if (!Files.isDirectory(run)) return 0;
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
        }
    }
}
