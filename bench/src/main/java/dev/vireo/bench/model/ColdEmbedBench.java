package dev.vireo.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesSampleWriter;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.hf.HfCheckpoints;
import dev.vireo.models.text.ClipTokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code embed_cold_ms} of {@code vireo bench clip}: what a command-line user waits for, from
 * starting {@code bin/vireo embed --model DIR --image P} to its exit with the features printed, for
 * the model written as a Hugging Face folder ({@link #writeModel}) and a 224-pixel PNG. One untimed run first (so the
 * operating system's page cache holds the weights, as it would for a user embedding their second
 * image, and the launcher's AOT cache exists), then the median of three. The peak resident memory
 * of the process comes from GNU time ({@code /usr/bin/time}) where it is installed.
 */
final class ColdEmbedBench {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    private ColdEmbedBench() {}

    /** The median wall time (ms) and the largest peak RSS (MiB, null without GNU time). */
    record Result(double medianMillis, Long peakRssMb) {}

    /** The model written as a Hugging Face folder {@code dir/model}, which {@link #measure} embeds with. */
    static Path writeModel(ClipModel model, Path dir) throws IOException {
        Path folder = dir.resolve("model");
        HfCheckpoints.save(model, ClipTokenizer.openai(), folder);
        return folder;
    }

    /** Null when there is no {@code bin/vireo} to run (vireo.home unset). Writes its PNG and GNU time's output into {@code dir}. */
    static Result measure(Path folder, Path dir, boolean quick) throws IOException {
        String home = System.getProperty("vireo.home");
        if (home == null || !Files.isExecutable(Path.of(home, "bin", "vireo"))) return null;
        Path image = dir.resolve("image.png");
        ShapeScene scene = ShapesWorld.generate(7, 1, 224).getFirst();
        ShapesSampleWriter.writePng(image, scene);
        List<String> command = List.of(Path.of(home, "bin", "vireo").toString(), "embed", "--model", folder.toString(),
                "--image", image.toString());
        int untimed = quick ? 0 : 1, timed = quick ? 1 : 3;
        double[] ms = new double[timed];
        Long rss = null;
        for (int i = 0; i < untimed + timed; i++) {
            long t0 = System.nanoTime();
            Long peak = run(command, dir.resolve("time.txt"));
            if (i >= untimed) ms[i - untimed] = (System.nanoTime() - t0) / 1e6;
            if (i >= untimed && peak != null) rss = rss == null ? peak : Math.max(rss, peak);
        }
        Arrays.sort(ms);
        return new Result(ms[timed / 2], rss);
    }

    /**
     * Runs the command to its end (under GNU time, whose start adds about a millisecond, when it is
     * installed); fails unless it exits 0 with one image's features on stdout. Returns the peak RSS
     * in MiB, or null.
     */
    private static Long run(List<String> command, Path timeFile) throws IOException {
        Path errors = Files.createTempFile("vireo-bench-cold", ".err");
        try {
            List<String> full = new ArrayList<>();
            boolean timed = Files.isExecutable(GNU_TIME);
            if (timed) full.addAll(List.of(GNU_TIME.toString(), "-f", "%M", "-o", timeFile.toString()));
            full.addAll(command);
            Process p = new ProcessBuilder(full).redirectError(errors.toFile()).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            JsonNode features = rc == 0 ? new ObjectMapper().readTree(output).path("image_embeds") : null;
            if (rc != 0 || features == null || features.size() != 1) {
                throw new IOException("bench clip: " + String.join(" ", command) + " failed (exit " + rc + "): "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            if (!timed) return null;
            String kb = Files.readString(timeFile, StandardCharsets.UTF_8).strip();
            return kb.matches("\\d+") ? Long.parseLong(kb) / 1024 : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("bench clip: interrupted", e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
