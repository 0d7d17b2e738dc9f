package dev.vireo.examples.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vireo.models.image.ImageDecodeException;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.search.Hit;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.SearchOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The search page and its JSON API over one {@link ImageIndex}, on the JDK's own HTTP server (no
 * dependency: three routes and a page need nothing more):
 * <ul>
 *   <li>{@code GET /} the page; {@code GET /api/health};</li>
 *   <li>{@code GET /api/search?q=TEXT&k=N} and {@code POST /api/search?k=N} with an image as the body;</li>
 *   <li>{@code GET /image/ID} and {@code GET /thumb/ID}: an indexed file or its PNG thumbnail, by index id only.</li>
 * </ul>
 * Malformed requests get a 4xx and {@code {"error": "..."}}; an upload over {@link #MAX_UPLOAD} bytes
 * is refused unread; a file that is gone or no longer decodes is a 404 or 422 for that file alone.
 */
public final class SearchServer implements AutoCloseable {
    public static final int MAX_UPLOAD = 16 << 20, MAX_K = 100, MAX_QUERY = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png",
            "gif", "image/gif", "bmp", "image/bmp");

    private final ImageIndex index;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Thumbnails thumbnails = new Thumbnails();
    private final byte[] page;

    private SearchServer(ImageIndex index, HttpServer server) throws IOException {
        this.index = index;
        this.server = server;
        try (InputStream in = SearchServer.class.getResourceAsStream("search.html")) {
            if (in == null) throw new IOException("search.html is missing from the jar");
            this.page = in.readAllBytes();
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** Starts serving {@code index} on {@code host}:{@code port} (port 0: any free one). */
    public static SearchServer start(ImageIndex index, String host, int port) throws IOException {
        SearchServer s = new SearchServer(index, HttpServer.create(new InetSocketAddress(host, port), 64));
        s.server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath(), method = ex.getRequestMethod();
            try {
                if (path.equals("/")) {
                    only(method, "GET");
                    send(ex, 200, "text/html; charset=utf-8", page);
                } else if (path.equals("/api/health")) {
                    only(method, "GET");
                    json(ex, 200, Map.of("status", "ok", "images", index.size(), "model", index.model().kind()));
                } else if (path.equals("/api/search")) {
                    search(ex, method);
                } else if (path.startsWith("/image/") || path.startsWith("/thumb/")) {
                    only(method, "GET");
                    file(ex, path.startsWith("/thumb/"), path.substring(path.indexOf('/', 1) + 1));
                } else {
                    throw new HttpError(404, "no such page: " + path);
                }
            } catch (HttpError e) {
                if (e.status == 405) ex.getResponseHeaders().set("Allow", e.allow);
                json(ex, e.status, Map.of("error", e.getMessage()));
            } catch (RuntimeException | IOException e) {
                System.err.println("vireo serve: " + method + " " + path + ": " + e);
                json(ex, 500, Map.of("error", "the server failed on this request: " + e.getClass().getSimpleName()));
            }
        }
    }

    private void search(HttpExchange ex, String method) throws IOException, HttpError {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int k = q.containsKey("k") ? intParam(q.get("k"), "k", 1, MAX_K) : 10;
        List<Hit> hits;
        if (method.equals("GET")) {
            String text = q.getOrDefault("q", "").strip();
            if (text.isEmpty()) throw new HttpError(400, "give a query: /api/search?q=a+dog+on+a+beach");
            if (text.length() > MAX_QUERY) throw new HttpError(400, "a query of at most " + MAX_QUERY + " characters");
            hits = index.searchText(text, k, SearchOptions.defaults());
        } else if (method.equals("POST")) {
            byte[] body = ex.getRequestBody().readNBytes(MAX_UPLOAD + 1);
            if (body.length > MAX_UPLOAD) throw new HttpError(413, "an image of at most " + (MAX_UPLOAD >> 20) + " MB");
            if (body.length == 0) throw new HttpError(400, "POST an image as the request body");
            float[] features;
            try {
                features = index.model().encodeDecoded(List.of(ImageDecoder.decode(body, "the uploaded image")))[0];
            } catch (ImageDecodeException e) {
                throw new HttpError(400, e.getMessage());
            }
            hits = index.search(features, k, SearchOptions.defaults());
        } else {
            throw new HttpError(405, "use GET with ?q= or POST an image", "GET, POST");
        }
        List<Map<String, Object>> results = hits.stream().map(h -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", h.id());
            r.put("path", h.path().toString());
            r.put("score", h.score());
            r.put("image", "/image/" + h.id());
            r.put("thumbnail", "/thumb/" + h.id());
            return r;
        }).toList();
        json(ex, 200, Map.of("results", results));
    }

    private void file(HttpExchange ex, boolean thumbnail, String id) throws IOException, HttpError {
        if (!id.matches("[0-9a-f]{16}")) throw new HttpError(400, "an image id is 16 hex digits");
        Optional<Path> file = index.path(id);
        if (file.isEmpty()) throw new HttpError(404, "no image " + id + " in the index");
        if (!Files.isRegularFile(file.get())) {
            throw new HttpError(404, "image " + id + " is gone from " + file.get().getParent() + " since it was indexed");
        }
        try {
            if (thumbnail) {
                send(ex, 200, "image/png", thumbnails.get(id, file.get()));
            } else {
                String name = file.get().getFileName().toString();
                String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
                send(ex, 200, type, Files.readAllBytes(file.get()));
            }
        } catch (NoSuchFileException e) {
            throw new HttpError(404, "image " + id + " is gone from " + file.get().getParent() + " since it was indexed");
        } catch (ImageDecodeException e) {
            throw new HttpError(422, "image " + id + " no longer decodes: " + e.getMessage());
        }
    }

    private static Map<String, String> query(String raw) throws HttpError {
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

    private static int intParam(String value, String name, int min, int max) throws HttpError {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new HttpError(400, name + " must be a whole number from " + min + " to " + max);
    }

    private static void only(String method, String allowed) throws HttpError {
        if (!method.equals(allowed)) throw new HttpError(405, "use " + allowed, allowed);
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** A request the server refuses, with its status. */
    private static final class HttpError extends Exception {
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
