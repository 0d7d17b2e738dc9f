package dev.vireo.engine.testing;

import dev.vireo.engine.io.json.JsonReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one way tests read their fixtures (golden JSON written by the Python scripts beside them,
 * safetensors files, model folders) from the test class path. Names follow
 * {@link Class#getResource}: {@code "/golden/ops_golden.json"} from the class-path root, a name
 * without the slash relative to the owner's package. JSON is parsed by the engine's own
 * {@link JsonReader}: objects are {@code Map<String, Object>}, arrays {@code List<Object>},
 * numbers {@code Long} or {@code Double}.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The file (or folder) of a fixture; fails naming it when it is missing. */
    public static Path path(Class<?> owner, String name) {
        URL url = owner.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name + " (looked up from " + owner.getName()
                    + "; the scripts beside the fixtures write them)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("fixture " + name + " at " + url, e);
        }
    }

    /** A fixture's bytes. */
    public static byte[] bytes(Class<?> owner, String name) {
        try {
            return Files.readAllBytes(path(owner, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON fixture whose top level is an object. */
    public static Map<String, Object> json(Class<?> owner, String name) {
        return object(JsonReader.parse(new String(bytes(owner, name), StandardCharsets.UTF_8)));
    }

    /** A parsed JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object json) {
        return (Map<String, Object>) json;
    }

    /** A parsed JSON array. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object json) {
        return (List<Object>) json;
    }

    /** A parsed JSON number. */
    public static double number(Object json) {
        return ((Number) json).doubleValue();
    }

    /** A parsed JSON integer. */
    public static int integer(Object json) {
        return Math.toIntExact(((Number) json).longValue());
    }

    /** A parsed JSON string. */
    public static String string(Object json) {
        return (String) json;
    }

    /** The numbers of a JSON array, nested arrays flattened in order, as floats. */
    public static float[] floats(Object json) {
        List<Object> flat = new ArrayList<>();
        flatten(json, flat);
        float[] out = new float[flat.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) number(flat.get(i));
        return out;
    }

    /** The integers of a JSON array, nested arrays flattened in order. */
    public static int[] ints(Object json) {
        List<Object> flat = new ArrayList<>();
        flatten(json, flat);
        int[] out = new int[flat.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(flat.get(i));
        return out;
    }

    private static void flatten(Object json, List<Object> out) {
        if (json instanceof List<?> l) {
            for (Object o : l) flatten(o, out);
        } else {
            out.add(json);
        }
    }
}
