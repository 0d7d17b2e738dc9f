package dev.vireo.examples.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vireo.models.image.ImageDecodeException;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP plumbing the servers share on the JDK's server: one handler per server that turns a
 * refused request ({@link HttpError}) into its 4xx and {@code {"error": "..."}} (a 405 with
 * {@code Allow}) and anything else into a logged 500; query strings, bounded whole-number parameters,
 * uploads refused unread past their limit, and responses that are never sniffed nor cached.
 */
final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png",
            "gif", "image/gif", "bmp", "image/bmp");

    private Http() {}

    /** One request of a server, given its raw path and method; what it refuses it throws as an {@link HttpError}. */
    @FunctionalInterface
    interface Route {
        void handle(HttpExchange ex, String path, String method) throws IOException, HttpError;
    }

    /** The handler around {@code route}: refusals as JSON errors, failures logged under {@code name} and answered 500. */
    static HttpHandler handler(String name, Route route) {
        return ex -> {
            try (ex) {
                String path = ex.getRequestURI().getRawPath(), method = ex.getRequestMethod();
                try {
                    route.handle(ex, path, method);
                } catch (HttpError e) {
                    if (e.status == 405) ex.getResponseHeaders().set("Allow", e.allow);
                    json(ex, e.status, Map.of("error", e.getMessage()));
                } catch (RuntimeException | IOException e) {
                    System.err.println(name + ": " + method + " " + path + ": " + e);
                    json(ex, 500, Map.of("error", "the server failed on this request: " + e.getClass().getSimpleName()));
                }
            }
        };
    }

    /** A page bundled beside this class in the jar. */
    static byte[] resource(String name) throws IOException {
        try (InputStream in = Http.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException(name + " is missing from the jar");
            return in.readAllBytes();
        }
    }

    /** The decoded parameters of a raw query string; a bad % escape is a 400. */
    static Map<String, String> query(String raw) throws HttpError {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "a malformed query string (bad % escape)");
            }
        }
        return out;
    }

    /** {@code value} as a whole number from {@code min} to {@code max}, or a 400 naming the parameter. */
    static int intParam(String value, String name, int min, int max) throws HttpError {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new HttpError(400, name + " must be a whole number from " + min + " to " + max);
    }

    /** A 405 with {@code Allow} unless the method is {@code allowed}. */
    static void only(String method, String allowed) throws HttpError {
        if (!method.equals(allowed)) throw new HttpError(405, "use " + allowed, allowed);
    }

    /** The request body, up to {@code max} bytes; a longer one is a 413, its rest unread. */
    static byte[] upload(HttpExchange ex, int max) throws IOException, HttpError {
        byte[] body = ex.getRequestBody().readNBytes(max + 1);
        if (body.length > max) throw new HttpError(413, "an image of at most " + (max >> 20) + " MB");
        return body;
    }

    /** An uploaded image decoded; bytes that are no image are a 400 with the decoder's one-line message. */
    static RgbImage image(byte[] body) throws HttpError {
        try {
            return ImageDecoder.decode(body, "the uploaded image");
        } catch (ImageDecodeException e) {
            throw new HttpError(400, e.getMessage());
        }
    }

    /** The content type of an image file by its extension. */
    static String type(Path file) {
        String name = file.getFileName().toString();
        return TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    /** Whether a file's extension is one of the image formats the decoder reads. */
    static boolean isImage(Path file) {
        return !type(file).equals("application/octet-stream");
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
    }

    /** A request the server refuses, with its status (and for a 405 the methods it allows). */
    static final class HttpError extends Exception {
        final int status;
        final String allow;

        HttpError(int status, String message) {
            this(status, message, "");
        }

        HttpError(int status, String message, String allow) {
            super(message, null, false, false);
            this.status = status;
            this.allow = allow;
        }
    }
}
