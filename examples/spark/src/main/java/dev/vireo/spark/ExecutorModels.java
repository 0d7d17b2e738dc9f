package dev.vireo.spark;

import dev.vireo.models.Clip;
import dev.vireo.search.ModelFingerprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models an executor has loaded: each once per JVM, whatever number of tasks and partitions use
 * it (safetensors weights are memory-mapped, so the tasks of one executor share one copy). A task
 * that runs the model holds it ({@code synchronized}) for a batch: the engine's own pool already
 * spreads one batch over the executor's cores, and other tasks decode their images meanwhile.
 */
final class ExecutorModels {
    /** A loaded model and the SHA-256 of its weights (what {@code vireo index} records). */
    record Loaded(Clip clip, String sha256) {}

    private static final ConcurrentHashMap<String, Loaded> LOADED = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    static Loaded clip(String model, String config) {
        return LOADED.computeIfAbsent(model + "\u0000" + (config == null ? "" : config), k -> {
            try {
                Clip clip = Clip.load(Path.of(model), config);
                return new Loaded(clip, ModelFingerprint.of(clip.model()));
            } catch (IOException e) {
                throw new UncheckedIOException("model " + model + " cannot be loaded on this executor: " + e.getMessage(), e);
            }
        });
    }
}
