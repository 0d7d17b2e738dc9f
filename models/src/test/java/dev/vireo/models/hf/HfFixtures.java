package dev.vireo.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Test access to the fixtures under src/test/resources/hf/ (written by clip_reference.py). */
final class HfFixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private HfFixtures() {}

    static Path path(String relative) {
        URL url = HfFixtures.class.getResource("/hf/" + relative);
        if (url == null) throw new IllegalStateException("test resource hf/" + relative + " is missing; regenerate with "
                + "/usr/bin/python3 models/src/test/resources/hf/clip_reference.py --bpe <bpe_simple_vocab_16e6.txt>");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String relative) {
        try {
            return MAPPER.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read hf/" + relative + ": " + e.getMessage(), e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).intValue();
        return out;
    }
}
