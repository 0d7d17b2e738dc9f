package dev.vireo.models.data;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes RFC 4180 records, the inverse of {@link DelimitedParser}: a field holding the delimiter, a
 * quote or a line break is quoted, inner quotes doubled; records end with CRLF as the RFC says.
 */
public final class DelimitedWriter {
    private final Writer out;
    private final char delimiter;

    public DelimitedWriter(Writer out, char delimiter) {
        this.out = out;
        this.delimiter = delimiter;
    }

    /** Writes one record. */
    public void write(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) out.write(delimiter);
            out.write(quote(fields.get(i), delimiter));
        }
        out.write("\r\n");
    }

    public void write(String... fields) throws IOException {
        write(List.of(fields));
    }

    /** The field as it appears in the file. */
    public static String quote(String field, char delimiter) {
        boolean needs = field.indexOf(delimiter) >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0;
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
