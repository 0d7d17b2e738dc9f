package dev.vireo.examples.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vireo.examples.serve.Http.HttpError;
import dev.vireo.models.image.ImageDecodeException;
import dev.vireo.search.Hit;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.SearchOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.vireo.examples.serve.Http.handler;
import static dev.vireo.examples.serve.Http.image;
import static dev.vireo.examples.serve.Http.intParam;
import static dev.vireo.examples.serve.Http.json;
import static dev.vireo.examples.serve.Http.only;
import static dev.vireo.examples.serve.Http.query;
import static dev.vireo.examples.serve.Http.resource;
import static dev.vireo.examples.serve.Http.send;
import static dev.vireo.examples.serve.Http.type;
import static dev.vireo.examples.serve.Http.upload;

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

    private final ImageIndex index;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Thumbnails thumbnails = new Thumbnails();
    private final byte[] page;

    private SearchServer(ImageIndex index, HttpServer server) throws IOException {
        this.index = index;
        this.server = server;
        this.page = resource("search.html");
        server.createContext("/", handler("vireo serve", this::route));
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

    private void route(HttpExchange ex, String path, String method) throws IOException, HttpError {
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
            byte[] body = upload(ex, MAX_UPLOAD);
            if (body.length == 0) throw new HttpError(400, "POST an image as the request body");
            float[] features = index.model().encodeDecoded(List.of(image(body)))[0];
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
                send(ex, 200, type(file.get()), Files.readAllBytes(file.get()));
            }
        } catch (NoSuchFileException e) {
            throw new HttpError(404, "image " + id + " is gone from " + file.get().getParent() + " since it was indexed");
        } catch (ImageDecodeException e) {
            throw new HttpError(422, "image " + id + " no longer decodes: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
