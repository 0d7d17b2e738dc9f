package dev.vireo.models.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.vireo.engine.io.OneLine;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Jackson's errors in one line: its own message, the field path and the line and column, without the
 * source excerpt it appends; control characters it quotes from the input are escaped ({@link OneLine}).
 * Shared by every reader of JSON configs and tokenizer files.
 */
public final class JsonErrors {
    private JsonErrors() {}

    /** {@code e}'s message on one line; for a Jackson error, with the field path and the line and column. */
    public static String oneLine(IOException e) {
        if (!(e instanceof JsonProcessingException j)) return OneLine.of(String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " "));
        StringBuilder s = new StringBuilder(String.valueOf(j.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " "));
        if (j instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            s.append(" (at ").append(m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))).append(')');
        }
        JsonLocation at = j.getLocation();
        if (at != null && at.getLineNr() > 0) s.append(", line ").append(at.getLineNr()).append(" column ").append(at.getColumnNr());
        return OneLine.of(s.toString().replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "["));
    }
}
