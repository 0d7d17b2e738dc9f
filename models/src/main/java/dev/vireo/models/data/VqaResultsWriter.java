package dev.vireo.models.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes VQA results as the official evaluation and the EvalAI server read them:
 * {@code [{"question_id": 1, "answer": "yes"}, ...]}, in the map's order.
 */
public final class VqaResultsWriter {
    private VqaResultsWriter() {}

    /** Writes {@code answers} (question id to answer) to {@code file}, replacing it. */
    public static void write(Path file, Map<Long, String> answers) throws IOException {
        ArrayNode results = JsonFields.MAPPER.createArrayNode();
        for (var e : answers.entrySet()) {
            ObjectNode result = results.addObject();
            result.put("question_id", e.getKey());
            result.put("answer", e.getValue());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            JsonFields.MAPPER.writeValue(out, results);
        }
    }
}
