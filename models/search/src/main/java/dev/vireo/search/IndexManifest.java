package dev.vireo.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code vireo-index.json} beside Lucene's files: the model that made the index (as the user named it,
 * and the SHA-256 of its weights) and the embedding width. Written atomically.
 */
record IndexManifest(int format, String model, String modelSha256, int dimension) {
    static final String FILE = "vireo-index.json";
    static final int FORMAT = 1;

    static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    static IndexManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a Vireo index description (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.path("format").isInt() || !root.path("model").isTextual()
                || !root.path("model_sha256").isTextual() || !root.path("dimension").isInt()) {
            throw new IOException(file + ": not a Vireo index description (needs format, model, model_sha256, dimension)");
        }
        if (root.get("format").asInt() != FORMAT) {
            throw new IOException(file + ": index format " + root.get("format").asInt() + ", this Vireo reads format " + FORMAT);
        }
        return new IndexManifest(FORMAT, root.get("model").asText(), root.get("model_sha256").asText(), root.get("dimension").asInt());
    }

    void write(Path dir) throws IOException {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("format", format).put("model", model).put("model_sha256", modelSha256).put("dimension", dimension);
        AtomicFiles.writeString(dir.resolve(FILE), root.toPrettyString() + "\n");
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
