package dev.vireo.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small facts read from a model folder's {@code config.json} (Vireo or Hugging Face layout). */
final class ModelFolders {
    private ModelFolders() {}

    /** The text context length the folder's config names, or {@code fallback}. */
    static int contextLength(Path dir, int fallback) {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) return fallback;
        try {
            JsonNode root = new ObjectMapper().readTree(config.toFile());
            JsonNode hf = root.path("text_config").path("max_position_embeddings");
            if (hf.isInt()) return hf.asInt();
            JsonNode vireo = root.path("text").path("contextLength");
            if (vireo.isInt()) return vireo.asInt();
            return fallback;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + config + ": " + e.getMessage(), e);
        }
    }
}
