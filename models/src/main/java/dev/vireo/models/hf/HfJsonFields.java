package dev.vireo.models.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.OneLine;
import dev.vireo.models.config.JsonErrors;

import java.io.CharConversionException;
import java.io.IOException;

/**
 * Typed reads of one object in a Hugging Face config.json, with errors that name the file and the
 * dotted field ("text_config.hidden_size"), on one line whatever the file quotes: the helper of
 * {@link HfClipConfig}, {@link BertCheckpoints} and the readers of other models' config.json files.
 */
public final class HfJsonFields {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonNode node;
    private final String source;
    private final String path;

    public HfJsonFields(JsonNode node, String source, String path) {
        if (node == null || !node.isObject()) {
            throw problem(source, (path.isEmpty() ? "the top level" : path) + " is not a JSON object");
        }
        this.node = node;
        this.source = source;
        this.path = path;
    }

    /**
     * The JSON of a config.json's bytes (UTF-8, or the UTF-16/32 Jackson detects); text that is not
     * JSON, or bytes that are not text, is one line naming the file with Jackson's problem and position.
     */
    public static JsonNode readTree(byte[] json, String source) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException | CharConversionException e) {
            throw new IllegalArgumentException("HF config " + source + ": not valid JSON: " + JsonErrors.oneLine(e), e);
        } catch (IOException e) {
            throw new IllegalStateException("HF config " + source + ": reading JSON from memory failed", e);
        }
    }

    /** The JSON of config.json text, as {@link #readTree(byte[], String)}. */
    public static JsonNode readTree(String json, String source) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("HF config " + source + ": not valid JSON: " + JsonErrors.oneLine(e), e);
        }
    }

    /** The dotted prefix of this object's fields, e.g. {@code "text_config."}. */
    public String path() {
        return path;
    }

    /**
     * A nested section; old configs also carry {@code <name>_dict} whose values win, as
     * transformers' CLIPConfig does when both are present.
     */
    public HfJsonFields section(String name, String overrideName) {
        JsonNode base = node.get(name);
        JsonNode override = node.get(overrideName);
        if (base == null && override == null) throw error(name, "is missing");
        if (override == null || override.isNull()) return new HfJsonFields(base, source, path + name + ".");
        if (!override.isObject()) throw error(overrideName, "is not a JSON object");
        ObjectNode merged = base == null || !base.isObject() ? ((ObjectNode) override).objectNode() : ((ObjectNode) base).deepCopy();
        merged.setAll((ObjectNode) override);
        return new HfJsonFields(merged, source, path + name + ".");
    }

    /** A required integer field. */
    public int integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw error(field, "is missing");
        return asInt(field, v);
    }

    /** An integer field with the default transformers uses when it is absent. */
    public int integer(String field, int fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : asInt(field, v);
    }

    /** A number field with the default transformers uses when it is absent. */
    public double number(String field, double fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber()) throw error(field, "must be a number, got " + abbreviate(v));
        return v.doubleValue();
    }

    /** A string field, or {@code fallback} when absent. */
    public String string(String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isTextual()) throw error(field, "must be a string, got " + abbreviate(v));
        return v.textValue();
    }

    private int asInt(String field, JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
        if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < Integer.MAX_VALUE) {
            return (int) v.doubleValue();
        }
        throw error(field, "must be an integer, got " + abbreviate(v));
    }

    /** A value as JSON, cut to 80 characters: a whole section quoted in an error would say nothing more. */
    public static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** {@code "HF config <source>: <what>"} on one line, whatever the file put in {@code what}. */
    public static IllegalArgumentException problem(String source, String what) {
        return new IllegalArgumentException(OneLine.of("HF config " + source + ": " + what));
    }

    private IllegalArgumentException error(String field, String what) {
        return problem(source, path + field + " " + what);
    }
}
