package dev.vireo.models.data;

import java.io.BufferedReader;
import java.nio.charset.CharacterCodingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads image–caption tables in CSV or TSV (Conceptual Captions style, or our own sample folders):
 * one row per (image, caption), RFC 4180 quoting. Columns are chosen by header name, or by 0-based
 * index when the file has no header. Rows naming the same image are merged into one sample with
 * several captions, in first-appearance order.
 */
public final class CaptionTableReader {

    /** How to read the table: delimiter, whether line 1 is a header, and which columns to use. */
    public record Format(char delimiter, boolean header, String imageColumn, String captionColumn) {
        /** Comma-separated with a header naming the two columns. */
        public static Format csv(String imageColumn, String captionColumn) {
            return new Format(',', true, imageColumn, captionColumn);
        }

        /** Tab-separated with a header naming the two columns. */
        public static Format tsv(String imageColumn, String captionColumn) {
            return new Format('\t', true, imageColumn, captionColumn);
        }

        /** No header: the columns are 0-based indices. */
        public static Format headerless(char delimiter, int imageColumn, int captionColumn) {
            return new Format(delimiter, false, Integer.toString(imageColumn), Integer.toString(captionColumn));
        }
    }

    private CaptionTableReader() {}

    /** Samples of the table; relative image paths are resolved against {@code imageRoot}. */
    public static List<ImageTextSample> read(Path table, Format format, Path imageRoot) throws IOException {
        Map<String, List<String>> captions = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(table, StandardCharsets.UTF_8)) { // refuses bytes that are not UTF-8
            DelimitedParser parser = new DelimitedParser(reader, table, format.delimiter());
            int imageIndex;
            int captionIndex;
            int width;
            if (format.header()) {
                List<String> header = parser.next();
                if (header == null) throw new DatasetFormatException(table, "line 1", "empty file: expected a header row");
                if (!header.isEmpty() && header.getFirst().startsWith("\uFEFF")) header.set(0, header.getFirst().substring(1));
                imageIndex = column(header, format.imageColumn(), table);
                captionIndex = column(header, format.captionColumn(), table);
                width = header.size();
            } else {
                imageIndex = index(format.imageColumn(), table);
                captionIndex = index(format.captionColumn(), table);
                width = -1;
            }
            for (List<String> row = parser.next(); row != null; row = parser.next()) {
                String entry = "line " + parser.recordLine();
                if (width >= 0 && row.size() != width) {
                    throw new DatasetFormatException(table, entry, "expected " + width + " fields as in the header, found " + row.size());
                }
                if (row.size() <= Math.max(imageIndex, captionIndex)) {
                    throw new DatasetFormatException(table, entry, "only " + row.size() + " fields, need column " + Math.max(imageIndex, captionIndex));
                }
                String image = row.get(imageIndex).strip();
                String caption = row.get(captionIndex).strip();
                if (image.isEmpty()) throw new DatasetFormatException(table, entry, "empty image path");
                if (caption.isEmpty()) throw new DatasetFormatException(table, entry, "empty caption for image " + image);
                if (image.indexOf('\0') >= 0) throw new DatasetFormatException(table, entry, "the image path has a NUL character");
                captions.computeIfAbsent(image, k -> new ArrayList<>()).add(caption);
            }
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(table, "text", "not UTF-8 text (" + e.getClass().getSimpleName() + "); save the table as UTF-8", e);
        }
        List<ImageTextSample> samples = new ArrayList<>(captions.size());
        for (Map.Entry<String, List<String>> e : captions.entrySet()) {
            samples.add(new ImageTextSample(e.getKey(), new ImageSource.FileImage(imageRoot.resolve(e.getKey())), e.getValue(), ""));
        }
        return samples;
    }

    private static int column(List<String> header, String name, Path table) throws DatasetFormatException {
        int i = header.indexOf(name);
        if (i < 0) throw new DatasetFormatException(table, "line 1", "no column named '" + name + "' in header " + header);
        return i;
    }

    private static int index(String column, Path table) throws DatasetFormatException {
        try {
            int i = Integer.parseInt(column);
            if (i >= 0) return i;
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new DatasetFormatException(table, "format", "without a header, columns must be 0-based indices, got '" + column + "'");
    }
}
