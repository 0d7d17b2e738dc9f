package dev.vireo.models.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 record reader for comma- or tab-separated files: fields may be quoted with {@code "},
 * a quoted field may hold the delimiter, line breaks and doubled quotes ({@code ""}); CRLF and LF
 * both end a record. Tracks the line each record starts on, for error messages.
 */
public final class DelimitedParser {
    private final Reader in;
    private final Path file;
    private final char delimiter;
    private int line = 1;
    private int recordLine;
    private int pushedBack = -2;

    public DelimitedParser(Reader in, Path file, char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("DelimitedParser: delimiter may not be a quote or line break, got " + (int) delimiter);
        }
        this.in = in;
        this.file = file;
        this.delimiter = delimiter;
    }

    /** The line (1-based) on which the record last returned by {@link #next()} started. */
    public int recordLine() {
        return recordLine;
    }

    /** The next record's fields, or null at the end of the input. Blank lines are skipped. */
    public List<String> next() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') {
            if (c == '\r') peekNewline();
            line++;
            c = read();
        }
        if (c < 0) return null;
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.isEmpty()) {
                c = readQuoted(field);
            } else {
                while (c >= 0 && c != delimiter && c != '\n' && c != '\r') {
                    if (c == '"') {
                        throw new DatasetFormatException(file, "line " + line, "a quote inside an unquoted field (field " + (fields.size() + 1)
                                + "); quote the whole field and double the inner quote");
                    }
                    field.append((char) c);
                    c = read();
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (c == delimiter) {
                c = read();
                continue;
            }
            if (c == '\r') peekNewline();
            if (c >= 0) line++;
            return fields;
        }
    }

    /** Reads a quoted field after its opening quote; returns the character after the closing quote. */
    private int readQuoted(StringBuilder field) throws IOException {
        int start = line;
        while (true) {
            int c = read();
            if (c < 0) throw new DatasetFormatException(file, "line " + start, "a quoted field is never closed");
            if (c == '"') {
                int after = read();
                if (after == '"') {
                    field.append('"');
                    continue;
                }
                if (after >= 0 && after != delimiter && after != '\n' && after != '\r') {
                    throw new DatasetFormatException(file, "line " + line, "unexpected character '" + (char) after + "' after a closing quote");
                }
                return after;
            }
            if (c == '\n') line++;
            field.append((char) c);
        }
    }

    /** After a CR: consumes a following LF (a CRLF pair) and reports whether it did. */
    private boolean peekNewline() throws IOException {
        int c = read();
        if (c == '\n') return true;
        pushedBack = c;
        return false;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }
}
