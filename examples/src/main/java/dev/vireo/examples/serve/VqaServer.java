package dev.vireo.examples.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vireo.examples.serve.Http.HttpError;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ImageDecodeException;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vqa.VisualQuestionAnswerer;
import dev.vireo.models.vqa.VisualQuestionAnswerer.Answer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static dev.vireo.examples.serve.Http.handler;
import static dev.vireo.examples.serve.Http.image;
import static dev.vireo.examples.serve.Http.intParam;
import static dev.vireo.examples.serve.Http.isImage;
import static dev.vireo.examples.serve.Http.json;
import static dev.vireo.examples.serve.Http.only;
import static dev.vireo.examples.serve.Http.query;
import static dev.vireo.examples.serve.Http.resource;
import static dev.vireo.examples.serve.Http.send;
import static dev.vireo.examples.serve.Http.type;
import static dev.vireo.examples.serve.Http.upload;

/**
 * The visual question answering page and its JSON API over one {@link VisualQuestionAnswerer}, on the
 * JDK's own HTTP server, as {@link SearchServer} serves an index:
 * <ul>
 *   <li>{@code GET /} the page; {@code GET /api/health};</li>
 *   <li>{@code POST /api/vqa?q=QUESTION&k=N} with an image as the body, or {@code POST /api/vqa?q=..&example=ID}
 *   about one of the example pictures: {@code {"question", "answer", "top": [{"answer", "score"}]}} as
 *   {@code vireo vqa --json} gives them ({@code top} only for a classifier);</li>
 *   <li>{@code GET /api/examples}, {@code GET /example/ID} and {@code GET /thumb/ID}: the pictures of the
 *   examples folder (its image files, by file name only), the files and their PNG thumbnails.</li>
 * </ul>
 * Questions are answered one at a time (the answerer need not be thread-safe) with {@code vireo vqa}'s
 * decoding: greedy, at most {@value #MAX_NEW_TOKENS} new tokens. Malformed requests get a 4xx and
 * {@code {"error": "..."}}; an upload over {@link #MAX_UPLOAD} bytes is refused unread.
 */
public final class VqaServer implements AutoCloseable {
    public static final int MAX_UPLOAD = 16 << 20, MAX_QUESTION = 200, MAX_K = 20, DEFAULT_K = 5, MAX_NEW_TOKENS = 20;

    private final VisualQuestionAnswerer answerer;
    private final String model;
    private final Map<String, Path> examples;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock answering = new ReentrantLock();
    private final Thumbnails thumbnails = new Thumbnails();
    private final byte[] page;

    private VqaServer(VisualQuestionAnswerer answerer, String model, Map<String, Path> examples, HttpServer server) throws IOException {
        this.answerer = answerer;
        this.model = model;
        this.examples = examples;
        this.server = server;
        this.page = resource("vqa.html");
        server.createContext("/", handler("vireo serve-vqa", this::route));
        server.setExecutor(executor);
    }

    /**
     * Starts serving {@code answerer} (named {@code model} in {@code /api/health}) on {@code host}:{@code port}
     * (port 0: any free one), with the image files directly in {@code examples} as example pictures
     * ({@code null}: none). The caller keeps the answerer and closes it after the server.
     */
    public static VqaServer start(VisualQuestionAnswerer answerer, String model, Path examples, String host, int port) throws IOException {
        Map<String, Path> pictures = examples == null ? Map.of() : list(examples);
        VqaServer s = new VqaServer(answerer, model, pictures, HttpServer.create(new InetSocketAddress(host, port), 64));
        s.server.start();
        return s;
    }

    /** The image files directly in a folder, by file name. */
    private static Map<String, Path> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException("examples folder " + folder + " is not a folder");
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(p -> Files.isRegularFile(p) && isImage(p)).forEach(p -> out.put(p.getFileName().toString(), p));
        }
        return out;
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
            json(ex, 200, Map.of("status", "ok", "model", model, "examples", examples.size()));
        } else if (path.equals("/api/vqa")) {
            if (!method.equals("POST")) throw new HttpError(405, "POST an image, or ?example=ID, with ?q=QUESTION", "POST");
            ask(ex);
        } else if (path.equals("/api/examples")) {
            only(method, "GET");
            List<Map<String, Object>> list = new ArrayList<>();
            for (String id : examples.keySet()) list.add(ordered("id", id, "image", "/example/" + id, "thumbnail", "/thumb/" + id));
            json(ex, 200, Map.of("examples", list));
        } else if (path.startsWith("/example/") || path.startsWith("/thumb/")) {
            only(method, "GET");
            String id = ex.getRequestURI().getPath().substring(path.indexOf('/', 1) + 1);
            Path file = example(id);
            try {
                if (path.startsWith("/thumb/")) send(ex, 200, "image/png", thumbnails.get(id, file));
                else send(ex, 200, type(file), Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                throw new HttpError(404, "example " + id + " is gone from its folder");
            } catch (ImageDecodeException e) {
                throw new HttpError(422, "example " + id + " does not decode: " + e.getMessage());
            }
        } else {
            throw new HttpError(404, "no such page: " + path);
        }
    }

    private Path example(String id) throws HttpError {
        Path file = examples.get(id);
        if (file == null) throw new HttpError(404, "no example picture " + id);
        return file;
    }

    private void ask(HttpExchange ex) throws IOException, HttpError {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String question = q.getOrDefault("q", "").strip();
        if (question.isEmpty()) throw new HttpError(400, "give a question: /api/vqa?q=what+colour+is+the+circle");
        if (question.length() > MAX_QUESTION) throw new HttpError(400, "a question of at most " + MAX_QUESTION + " characters");
        int k = q.containsKey("k") ? intParam(q.get("k"), "k", 1, MAX_K) : DEFAULT_K;
        byte[] body = upload(ex, MAX_UPLOAD);
        RgbImage picture;
        if (q.containsKey("example")) {
            if (body.length > 0) throw new HttpError(400, "ask about an example or an uploaded image, not both");
            String id = q.get("example");
            try {
                picture = ImageDecoder.decode(example(id));
            } catch (ImageDecodeException e) {
                throw new HttpError(422, "example " + id + " does not decode: " + e.getMessage());
            }
        } else {
            if (body.length == 0) throw new HttpError(400, "POST an image as the request body, or ask about ?example=ID");
            picture = image(body);
        }
        Answer a;
        answering.lock();
        try {
            a = answerer.answer(List.of(picture), List.of(question), k, GenerationConfig.greedy(MAX_NEW_TOKENS)).getFirst();
        } finally {
            answering.unlock();
        }
        Map<String, Object> out = ordered("question", question, "answer", a.answer());
        if (!a.top().isEmpty()) out.put("top", a.top().stream().map(s -> ordered("answer", s.answer(), "score", s.score())).toList()); // a generative answer has none
        json(ex, 200, out);
    }

    /** A JSON object whose fields keep their order: key, value, key, value, ... */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
