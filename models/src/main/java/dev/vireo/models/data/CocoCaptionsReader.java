package dev.vireo.models.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads COCO caption annotations ({@code captions_train2017.json}): the {@code images} array gives
 * {@code id} and {@code file_name}, the {@code annotations} array gives {@code image_id} and
 * {@code caption}. Captions are grouped by image, in file order. The file is streamed element by
 * element, so the 90 MB train file never exists as one tree. Images without a caption are left out.
 */
public final class CocoCaptionsReader {
    private CocoCaptionsReader() {}

    /** Samples for every captioned image; image paths are {@code imageDir/file_name}. */
    public static List<ImageTextSample> read(Path json, Path imageDir) throws IOException {
        Long2ObjectLinkedOpenHashMap<Path> files = new Long2ObjectLinkedOpenHashMap<>();
        Long2ObjectLinkedOpenHashMap<List<String>> captions = new Long2ObjectLinkedOpenHashMap<>();
        Long2IntOpenHashMap firstMention = new Long2IntOpenHashMap();
        try (JsonParser parser = JsonFields.open(json)) {
            JsonFields.expect(parser, JsonToken.START_OBJECT, json, "top level");
            while (JsonFields.next(parser, json, "top level") == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = JsonFields.next(parser, json, field);
                switch (field) {
                    case "images" -> JsonFields.readArray(parser, json, field, value, (node, index, entry) -> {
                        long id = JsonFields.integer(node, "id", json, entry);
                        Path image = JsonFields.resolve(imageDir, JsonFields.text(node, "file_name", json, entry), json, entry);
                        if (files.put(id, image) != null) throw new DatasetFormatException(json, entry, "duplicate image id " + id);
                    });
                    case "annotations" -> JsonFields.readArray(parser, json, field, value, (node, index, entry) -> {
                        long imageId = JsonFields.integer(node, "image_id", json, entry);
                        String caption = JsonFields.text(node, "caption", json, entry).strip();
                        if (caption.isEmpty()) throw new DatasetFormatException(json, entry, "empty caption");
                        captions.computeIfAbsent(imageId, k -> new ArrayList<>()).add(caption);
                        firstMention.putIfAbsent(imageId, index);
                    });
                    default -> JsonFields.skip(parser, json, field);
                }
            }
        }
        for (var mention : firstMention.long2IntEntrySet()) {
            if (!files.containsKey(mention.getLongKey())) {
                throw new DatasetFormatException(json, "annotations[" + mention.getIntValue() + "]",
                        "image_id " + mention.getLongKey() + " is not in the images array");
            }
        }
        String split = splitName(json);
        List<ImageTextSample> samples = new ArrayList<>(captions.size());
        for (var entry : files.long2ObjectEntrySet()) {
            List<String> texts = captions.get(entry.getLongKey());
            if (texts == null) continue;
            String id = Long.toString(entry.getLongKey());
            samples.add(new ImageTextSample(id, new ImageSource.FileImage(entry.getValue()), texts, split));
        }
        return samples;
    }

    /** {@code captions_val2017.json} → {@code val2017}; any other name → the empty string. */
    static String splitName(Path json) {
        String name = json.getFileName().toString();
        if (name.startsWith("captions_") && name.endsWith(".json")) return name.substring(9, name.length() - 5);
        return "";
    }
}
