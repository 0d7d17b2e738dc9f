package dev.vireo.models.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads Karpathy's split files ({@code dataset_coco.json}, {@code dataset_flickr30k.json}): an
 * {@code images} array whose elements carry {@code filename}, optional {@code filepath} (COCO's
 * {@code train2014}/{@code val2014}), {@code split} (train, restval, val, test) and
 * {@code sentences[].raw}. Streamed element by element.
 */
public final class KarpathySplitReader {
    private KarpathySplitReader() {}

    /** Every image of every split; paths are {@code imageRoot/filepath/filename}. */
    public static List<ImageTextSample> read(Path json, Path imageRoot) throws IOException {
        return read(json, imageRoot, Set.of());
    }

    /** The images whose split is in {@code splits} (all of them when {@code splits} is empty). */
    public static List<ImageTextSample> read(Path json, Path imageRoot, Set<String> splits) throws IOException {
        List<ImageTextSample> samples = new ArrayList<>();
        boolean sawImages = false;
        try (JsonParser parser = JsonFields.open(json)) {
            JsonFields.expect(parser, JsonToken.START_OBJECT, json, "top level");
            while (JsonFields.next(parser, json, "top level") == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = JsonFields.next(parser, json, field);
                if (!field.equals("images")) {
                    JsonFields.skip(parser, json, field);
                    continue;
                }
                sawImages = true;
                JsonFields.readArray(parser, json, field, value, (node, index, entry) -> {
                    ImageTextSample sample = toSample(node, json, entry, imageRoot);
                    if (splits.isEmpty() || splits.contains(sample.split())) samples.add(sample);
                });
            }
        }
        if (!sawImages) throw new DatasetFormatException(json, "top level", "no 'images' array: not a Karpathy split file");
        return samples;
    }

    private static ImageTextSample toSample(JsonNode node, Path json, String entry, Path imageRoot) throws DatasetFormatException {
        String filename = JsonFields.text(node, "filename", json, entry);
        String split = JsonFields.text(node, "split", json, entry);
        JsonNode folder = node.get("filepath");
        String relative = folder != null && folder.isTextual() && !folder.asText().isEmpty() ? folder.asText() + "/" + filename : filename;
        JsonNode sentences = node.get("sentences");
        if (sentences == null || !sentences.isArray() || sentences.isEmpty()) {
            throw new DatasetFormatException(json, entry, "image " + relative + " has no 'sentences' array");
        }
        List<String> captions = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            String caption = JsonFields.text(sentences.get(i), "raw", json, entry + ".sentences[" + i + "]").strip();
            if (caption.isEmpty()) throw new DatasetFormatException(json, entry + ".sentences[" + i + "]", "empty caption");
            captions.add(caption);
        }
        return new ImageTextSample(relative, new ImageSource.FileImage(JsonFields.resolve(imageRoot, relative, json, entry)), captions, split);
    }
}
