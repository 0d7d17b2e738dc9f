package dev.vireo.examples.cli;

import dev.vireo.models.Clip;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON entry of an image a command could not read: {@code {"image": path, "error": one line}}. */
final class ImageErrors {
    private ImageErrors() {}

    static Map<String, Object> entry(Clip.ImageResult result) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("image", result.file().toString());
        e.put("error", result.error());
        return e;
    }
}
