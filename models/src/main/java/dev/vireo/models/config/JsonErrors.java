package dev.vireo.models.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import java.io.IOException;
import java.util.stream.Collectors;

/** Jackson's errors in one line: its own message, the field path and the line and column, without the source excerpt it appends. */
final class JsonErrors {
    private JsonErrors() {}

    static String oneLine(IOException e) {
        if (!(e instanceof JsonProcessingException j)) return String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
        StringBuilder s = new StringBuilder(String.valueOf(j.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " "));
        if (j instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            s.append(" (at ").append(m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))).append(')');
        }
        JsonLocation at = j.getLocation();
        if (at != null && at.getLineNr() > 0) s.append(", line ").append(at.getLineNr()).append(" column ").append(at.getColumnNr());
        return s.toString();
    }
}
