package dev.vireo.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vireo-index.json} beside Lucene's files: the model that made the index (as the user named it,
 * and the SHA-256 of its weights) and the embedding width. Written atomically. A sharded index (many
 * Lucene indexes built apart, e.g. one per Spark partition) lists its shards' subfolders instead, each
 * an index of its own with the same model.
 */
record IndexManifest(int format, String model, String modelSha256, int dimension, List<String> shards) {
    IndexManifest(int format, String model, String modelSha256, int dimension) {
        this(format, model, modelSha256, dimension, List.of());
    }

    boolean sharded() {
        return !shards.isEmpty();
    }

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
        List<String> shards = new ArrayList<>();
        JsonNode list = root.path("shards");
        if (!list.isMissingNode()) {
            if (!list.isArray()) throw new IOException(file + ": \"shards\" must be a list of subfolder names");
            for (JsonNode n : list) {
                String name = n.asText("");
                if (!n.isTextual() || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                    throw new IOException(file + ": shard " + n + " is not a subfolder name");
                }
                shards.add(name);
            }
        }
        return new IndexManifest(FORMAT, root.get("model").asText(), root.get("model_sha256").asText(), root.get("dimension").asInt(),
                List.copyOf(shards));
    }

    void write(Path dir) throws IOException {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("format", format).put("model", model).put("model_sha256", modelSha256).put("dimension", dimension);
        if (sharded()) {
            var list = root.putArray("shards");
            for (String shard : shards) list.add(shard);
        }
        AtomicFiles.writeString(dir.resolve(FILE), root.toPrettyString() + "\n");
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
