package dev.vireo.models.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads VQA v2 files (visualqa.org): the questions file ({@code questions[]}: {@code question_id,
 * image_id, question}), the annotations file ({@code annotations[]}: {@code question_id, image_id,
 * question_type, answer_type, answers[]} of ten {@code {answer, answer_confidence, answer_id}}), and
 * a results file ({@code [{question_id, answer}]}); also our plain list for scoring,
 * {@code [{"id", "answers": [ten strings], "prediction"}]}. Files are streamed element by element,
 * texts are at most {@value JsonFields#MAX_TEXT_CHARS} characters, errors name the file and element.
 */
public final class VqaV2Reader {
    /** VQA v2 asks ten annotators per question, and its accuracy formula assumes ten answers. */
    public static final int ANSWERS_PER_QUESTION = 10;

    private VqaV2Reader() {}

    /** The annotated questions, in the questions file's order; every question must have its annotation and vice versa. */
    public static List<VqaItem> read(Path questions, Path annotations) throws IOException {
        Long2ObjectLinkedOpenHashMap<JsonNode> asked = new Long2ObjectLinkedOpenHashMap<>();
        readSection(questions, "questions", (node, index, entry) -> {
            long id = JsonFields.integer(node, "question_id", questions, entry);
            JsonFields.integer(node, "image_id", questions, entry);
            JsonFields.boundedText(node, "question", questions, entry);
            if (asked.put(id, node) != null) throw new DatasetFormatException(questions, entry, "duplicate question_id " + id);
        });
        Long2ObjectLinkedOpenHashMap<VqaItem> items = new Long2ObjectLinkedOpenHashMap<>();
        readSection(annotations, "annotations", (node, index, entry) -> {
            long id = JsonFields.integer(node, "question_id", annotations, entry);
            long imageId = JsonFields.integer(node, "image_id", annotations, entry);
            JsonNode question = asked.get(id);
            if (question == null) throw new DatasetFormatException(annotations, entry, "question_id " + id + " is not in " + questions);
            if (question.get("image_id").asLong() != imageId) {
                throw new DatasetFormatException(annotations, entry, "image_id " + imageId + " but question " + id + " is about image "
                        + question.get("image_id").asLong() + " in " + questions);
            }
            VqaItem item = new VqaItem(id, imageId, question.get("question").asText(),
                    JsonFields.boundedText(node, "question_type", annotations, entry),
                    JsonFields.boundedText(node, "answer_type", annotations, entry), answers(node, annotations, entry));
            if (items.put(id, item) != null) throw new DatasetFormatException(annotations, entry, "a second annotation for question_id " + id);
        });
        List<VqaItem> out = new ArrayList<>(asked.size());
        for (long id : asked.keySet()) {
            VqaItem item = items.get(id);
            if (item == null) throw new DatasetFormatException(annotations, "annotations", "no annotation for question_id " + id + " of " + questions);
            out.add(item);
        }
        return out;
    }

    /** A results file: question id to answer, in the file's order. */
    public static Map<Long, String> readResults(Path results) throws IOException {
        Map<Long, String> answers = new LinkedHashMap<>();
        JsonFields.readTopLevelArray(results, "results", (node, index, entry) -> {
            long id = JsonFields.integer(node, "question_id", results, entry);
            if (answers.put(id, JsonFields.boundedText(node, "answer", results, entry)) != null) {
                throw new DatasetFormatException(results, entry, "a second answer for question_id " + id);
            }
        });
        return answers;
    }

    /**
     * Pairs results with annotated questions, in the questions' order. As the official evaluation
     * requires, the results must answer exactly the annotated questions.
     */
    public static List<VqaPrediction> join(List<VqaItem> items, Map<Long, String> results, Path resultsFile) throws DatasetFormatException {
        Set<Long> known = new HashSet<>();
        List<VqaPrediction> out = new ArrayList<>(items.size());
        for (VqaItem item : items) {
            known.add(item.questionId());
            String answer = results.get(item.questionId());
            if (answer == null) throw new DatasetFormatException(resultsFile, "results", "no answer for question_id " + item.questionId());
            out.add(new VqaPrediction(Long.toString(item.questionId()), item.answers(), answer));
        }
        for (long id : results.keySet()) {
            if (!known.contains(id)) throw new DatasetFormatException(resultsFile, "results", "question_id " + id + " is not in the annotations");
        }
        return out;
    }

    /** Our plain list: {@code [{"id": string or integer, "answers": [ten strings], "prediction": string}]}. */
    public static List<VqaPrediction> readPredictions(Path file) throws IOException {
        List<VqaPrediction> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        JsonFields.readTopLevelArray(file, "questions", (node, index, entry) -> {
            String id = JsonFields.id(node, "id", file, entry);
            if (!ids.add(id)) throw new DatasetFormatException(file, entry, "duplicate id " + id);
            List<String> answers = JsonFields.texts(node, "answers", file, entry);
            if (answers.size() != ANSWERS_PER_QUESTION) {
                throw new DatasetFormatException(file, entry, "expected " + ANSWERS_PER_QUESTION + " answers but found " + answers.size());
            }
            out.add(new VqaPrediction(id, answers, JsonFields.boundedText(node, "prediction", file, entry)));
        });
        if (out.isEmpty()) throw new DatasetFormatException(file, "questions", "no questions to score");
        return out;
    }

    /** The ten {@code answers[].answer} strings of an annotation. */
    private static List<String> answers(JsonNode node, Path file, String entry) throws DatasetFormatException {
        JsonNode answers = node.get("answers");
        if (answers == null || !answers.isArray()) throw new DatasetFormatException(file, entry, "missing array field 'answers' in " + JsonFields.abbreviate(node));
        if (answers.size() != ANSWERS_PER_QUESTION) {
            throw new DatasetFormatException(file, entry, "expected " + ANSWERS_PER_QUESTION + " answers but found " + answers.size());
        }
        List<String> out = new ArrayList<>(ANSWERS_PER_QUESTION);
        for (int i = 0; i < answers.size(); i++) {
            JsonNode answer = answers.get(i);
            if (!answer.isObject()) throw new DatasetFormatException(file, entry + ".answers[" + i + "]", "expected an object but found " + JsonFields.abbreviate(answer));
            out.add(JsonFields.boundedText(answer, "answer", file, entry + ".answers[" + i + "]"));
        }
        return out;
    }

    /** Streams the array under {@code field} of a top-level object, skipping the other fields. */
    private static void readSection(Path file, String field, JsonFields.ElementHandler handler) throws IOException {
        boolean found = false;
        try (JsonParser parser = JsonFields.open(file)) {
            JsonFields.expect(parser, JsonToken.START_OBJECT, file, "top level");
            while (JsonFields.next(parser, file, "top level") == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = JsonFields.next(parser, file, name);
                if (name.equals(field)) {
                    found = true;
                    JsonFields.readArray(parser, file, name, value, handler);
                } else {
                    JsonFields.skip(parser, file, name);
                }
            }
        }
        if (!found) throw new DatasetFormatException(file, "top level", "no '" + field + "' array");
    }
}
