package dev.vireo.examples.cli;

import dev.vireo.models.Clip;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON entry of an image a command could not read: {@code {"image": path, "error": one line}}. */
final class ImageErrors {
    private ImageErrors() {}

    static Map<String, Object> entry(Clip.ImageResult result) {
        return entry(result.file().toString(), result.error());
    }

    static Map<String, Object> entry(String image, String error) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("image", image);
        e.put("error", error);
        return e;
    }
}
