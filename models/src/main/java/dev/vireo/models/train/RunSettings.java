package dev.vireo.models.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings that decide a run's steps ({@code run_settings.json} in its folder): steps, batch,
 * accumulation, learning rate, warm-up, decay, clipping, seed, loss, augmentation and locks. A resume
 * with any of them changed would not continue the run it names (the schedule, the batches or the
 * loss differ from step one), so it is refused, naming each change.
 */
final class RunSettings {
    static final String FILE = "run_settings.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSettings() {}

    /** The settings of {@code cfg} as "name": value pairs, in a fixed order. */
    static Map<String, String> of(TrainConfig cfg) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("steps", Integer.toString(cfg.steps()));
        s.put("batch", Integer.toString(cfg.batch()));
        s.put("accumulation", Integer.toString(cfg.accumulation()));
        s.put("lr", Double.toString(cfg.lr()));
        s.put("warmup", Integer.toString(cfg.warmup()));
        s.put("weight_decay", Double.toString(cfg.weightDecay()));
        s.put("clip_norm", Double.toString(cfg.clipNorm()));
        s.put("seed", Long.toString(cfg.seed()));
        s.put("loss", cfg.loss().name());
        s.put("augment", cfg.augment().name());
        s.put("lock_image", Boolean.toString(cfg.lockImage()));
        s.put("lock_text", Boolean.toString(cfg.lockText()));
        return s;
    }

    /** Writes the settings of a run that starts (or resumes unchanged) in {@code dir}. */
    static void write(Path dir, TrainConfig cfg) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(cfg)));
    }

    /** Refuses a resume whose settings differ from those the run in {@code dir} was started with (runs from before this file pass). */
    static void checkResume(Path dir, TrainConfig cfg) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) return;
        Map<String, String> before;
        try {
            before = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("train: " + file + " is not a settings file Vireo wrote (" + e.getOriginalMessage() + ")");
        }
        List<String> changes = new ArrayList<>();
        of(cfg).forEach((name, now) -> {
            String then = before.get(name);
            if (then != null && !then.equals(now)) changes.add(name + " " + then + " -> " + now);
        });
        if (!changes.isEmpty()) {
            throw new IllegalArgumentException("train: --resume of " + dir + " with changed settings (" + String.join(", ", changes)
                    + "): the run would not continue as it started; resume with its settings (" + FILE + ") or train into a new --out");
        }
    }
}
