package dev.vireo.models.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small helpers shared by the JSON dataset readers: a streaming parser over a file, and required
 * field accessors whose errors name the file and the entry. Package-private plumbing.
 */
final class JsonFields {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonFields() {}

    /** A streaming parser positioned before the first token of {@code file}. */
    static JsonParser open(Path file) throws IOException {
        return FACTORY.createParser(file.toFile());
    }

    /** The next token, expected to be {@code expected}; otherwise a format error at {@code entry}. */
    static void expect(JsonParser parser, JsonToken expected, Path file, String entry) throws IOException {
        JsonToken token = next(parser, file, entry);
        if (token != expected) {
            throw new DatasetFormatException(file, entry + " at " + where(parser.currentLocation()),
                    "expected " + expected + " but found " + token);
        }
    }

    /** The next token; a syntax error becomes a format error naming the file, entry and line. */
    static JsonToken next(JsonParser parser, Path file, String entry) throws IOException {
        JsonToken token;
        try {
            token = parser.nextToken();
        } catch (JsonProcessingException | CharConversionException e) {
            throw malformed(parser, file, entry, e);
        }
        if (token == null) throw new DatasetFormatException(file, entry, "file ends before the JSON is complete");
        return token;
    }

    /** Reads the value the parser is positioned on as a tree, with syntax errors located. */
    static JsonNode readTree(JsonParser parser, Path file, String entry) throws IOException {
        try {
            return MAPPER.readTree(parser);
        } catch (JsonProcessingException | CharConversionException e) {
            throw malformed(parser, file, entry, e);
        }
    }

    /** Skips the value the parser is positioned on (an object or array with all it holds), with syntax errors located. */
    static void skip(JsonParser parser, Path file, String entry) throws IOException {
        try {
            parser.skipChildren();
        } catch (JsonProcessingException | CharConversionException e) {
            throw malformed(parser, file, entry, e);
        }
    }

    /** A syntax error, or bytes that are not text in the encoding Jackson detected (a CharConversionException), as a format error. */
    private static DatasetFormatException malformed(JsonParser parser, Path file, String entry, IOException e) {
        JsonLocation at = e instanceof JsonProcessingException j && j.getLocation() != null ? j.getLocation() : parser.currentLocation();
        String problem = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return new DatasetFormatException(file, entry + " at " + where(at), "malformed JSON: " + problem, e);
    }

    /** The whole file as a tree (for small files such as a WebDataset member). */
    static JsonNode readTree(byte[] json, Path file, String entry) throws IOException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException | CharConversionException e) {
            String problem = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new DatasetFormatException(file, entry, "malformed JSON: " + problem, e);
        }
    }

    static String text(JsonNode node, String field, Path file, String entry) throws DatasetFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new DatasetFormatException(file, entry, "missing string field '" + field + "' in " + abbreviate(node));
        }
        return value.asText();
    }

    static long integer(JsonNode node, String field, Path file, String entry) throws DatasetFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new DatasetFormatException(file, entry, "missing integer field '" + field + "' in " + abbreviate(node));
        }
        return value.asLong();
    }

    /** {@code root.resolve(relative)}; a path the file system cannot have (a NUL character) is a format error at {@code entry}. */
    static Path resolve(Path root, String relative, Path file, String entry) throws DatasetFormatException {
        try {
            return root.resolve(relative);
        } catch (InvalidPathException e) {
            throw new DatasetFormatException(file, entry, "image path '" + relative + "' is not a valid path: " + e.getReason());
        }
    }

    static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private static String where(JsonLocation location) {
        return location == null ? "unknown position" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** Longest caption or answer the scoring readers accept, in characters: ROUGE-L's cost grows with the product of two lengths. */
    static final int MAX_TEXT_CHARS = 10_000;

    /** A string field no longer than {@link #MAX_TEXT_CHARS}. */
    static String boundedText(JsonNode node, String field, Path file, String entry) throws DatasetFormatException {
        return bounded(text(node, field, file, entry), field, file, entry);
    }

    /** {@code value}, or a format error when it is longer than {@link #MAX_TEXT_CHARS}. */
    static String bounded(String value, String field, Path file, String entry) throws DatasetFormatException {
        if (value.length() > MAX_TEXT_CHARS) {
            throw new DatasetFormatException(file, entry, "'" + field + "' has " + value.length() + " characters, more than " + MAX_TEXT_CHARS);
        }
        return value;
    }

    /** An id given as a string or an integer, as text. */
    static String id(JsonNode node, String field, Path file, String entry) throws DatasetFormatException {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual()) return bounded(value.asText(), field, file, entry);
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) return Long.toString(value.asLong());
        throw new DatasetFormatException(file, entry, "missing string or integer field '" + field + "' in " + abbreviate(node));
    }

    /** A non-empty array of strings, each no longer than {@link #MAX_TEXT_CHARS}. */
    static List<String> texts(JsonNode node, String field, Path file, String entry) throws DatasetFormatException {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new DatasetFormatException(file, entry, "missing non-empty array field '" + field + "' in " + abbreviate(node));
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) throw new DatasetFormatException(file, entry, "'" + field + "' holds a non-string: " + abbreviate(element));
            out.add(bounded(element.asText(), field, file, entry));
        }
        return out;
    }

    /** Streams a file whose top level is an array of objects, handing each with its "role[i]" name. */
    static void readTopLevelArray(Path file, String role, ElementHandler handler) throws IOException {
        try (JsonParser parser = open(file)) {
            readArray(parser, file, role, next(parser, file, "top level"), handler);
            JsonToken after;
            try {
                after = parser.nextToken();
            } catch (JsonProcessingException | CharConversionException e) {
                throw malformed(parser, file, "after the array", e);
            }
            if (after != null) throw new DatasetFormatException(file, "after the array", "more JSON after the top-level array");
        }
    }

    interface ElementHandler {
        void accept(JsonNode node, int index, String entry) throws IOException;
    }

    /** Streams the array the parser is on, handing each object element with its "field[i]" name. */
    static void readArray(JsonParser parser, Path json, String field, JsonToken start, ElementHandler handler) throws IOException {
        if (start != JsonToken.START_ARRAY) throw new DatasetFormatException(json, field, "expected an array but found " + start);
        int index = 0;
        while (true) {
            String entry = field + "[" + index + "]";
            JsonToken token = next(parser, json, entry);
            if (token == JsonToken.END_ARRAY) return;
            JsonNode node = readTree(parser, json, entry);
            if (!node.isObject()) throw new DatasetFormatException(json, entry, "expected an object but found " + abbreviate(node));
            handler.accept(node, index, entry);
            index++;
        }
    }
}
