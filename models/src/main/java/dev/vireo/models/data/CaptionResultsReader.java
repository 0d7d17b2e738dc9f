package dev.vireo.models.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads captions to score, in one of two forms: our own list
 * {@code [{"id": .., "refs": ["..", ..], "candidate": ".."}]}, or a COCO results file
 * {@code [{"image_id": 42, "caption": ".."}]} with the COCO caption annotations
 * ({@code captions_val2014.json}) that hold the references. Files are streamed element by element;
 * every caption is at most {@value JsonFields#MAX_TEXT_CHARS} characters. Errors name the file and
 * the element.
 */
public final class CaptionResultsReader {
    private CaptionResultsReader() {}

    /** Our list form: each element an id (string or integer), its references and the candidate. */
    public static List<CaptionCandidate> readCandidates(Path file) throws IOException {
        List<CaptionCandidate> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        JsonFields.readTopLevelArray(file, "captions", (node, index, entry) -> {
            String id = JsonFields.id(node, "id", file, entry);
            if (!ids.add(id)) throw new DatasetFormatException(file, entry, "duplicate id " + id);
            List<String> refs = JsonFields.texts(node, "refs", file, entry);
            items.add(new CaptionCandidate(id, refs, JsonFields.boundedText(node, "candidate", file, entry)));
        });
        if (items.isEmpty()) throw new DatasetFormatException(file, "captions", "no captions to score");
        return items;
    }

    /**
     * A COCO results list scored against COCO caption annotations: one candidate per image, in the
     * results' order, with every annotation caption of that image as its references. As the COCO
     * code requires, each result's image must have captions in the annotations and appear once.
     */
    public static List<CaptionCandidate> readCocoResults(Path results, Path annotations) throws IOException {
        Long2ObjectOpenHashMap<List<String>> references = readReferences(annotations);
        List<CaptionCandidate> items = new ArrayList<>();
        LongOpenHashSet seen = new LongOpenHashSet();
        JsonFields.readTopLevelArray(results, "results", (node, index, entry) -> {
            long imageId = JsonFields.integer(node, "image_id", results, entry);
            String caption = JsonFields.boundedText(node, "caption", results, entry);
            List<String> refs = references.get(imageId);
            if (refs == null) throw new DatasetFormatException(results, entry, "image_id " + imageId + " has no caption in " + annotations);
            if (!seen.add(imageId)) throw new DatasetFormatException(results, entry, "a second result for image_id " + imageId);
            items.add(new CaptionCandidate(Long.toString(imageId), refs, caption));
        });
        if (items.isEmpty()) throw new DatasetFormatException(results, "results", "no results to score");
        return items;
    }

    /** The captions of each image in a COCO caption annotations file ({@code annotations[].image_id, caption}). */
    private static Long2ObjectOpenHashMap<List<String>> readReferences(Path annotations) throws IOException {
        Long2ObjectOpenHashMap<List<String>> captions = new Long2ObjectOpenHashMap<>();
        boolean found = false;
        try (JsonParser parser = JsonFields.open(annotations)) {
            JsonFields.expect(parser, JsonToken.START_OBJECT, annotations, "top level");
            while (JsonFields.next(parser, annotations, "top level") == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = JsonFields.next(parser, annotations, field);
                if (field.equals("annotations")) {
                    found = true;
                    JsonFields.readArray(parser, annotations, field, value, (node, index, entry) -> {
                        long imageId = JsonFields.integer(node, "image_id", annotations, entry);
                        String caption = JsonFields.boundedText(node, "caption", annotations, entry);
                        captions.computeIfAbsent(imageId, k -> new ArrayList<>()).add(caption);
                    });
                } else {
                    JsonFields.skip(parser, annotations, field);
                }
            }
        }
        if (!found) throw new DatasetFormatException(annotations, "top level", "no 'annotations' array");
        return captions;
    }
}
