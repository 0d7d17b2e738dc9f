package dev.vireo.examples.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.Clip;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.search.Hit;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.SearchOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The search server over a small index of the tiny CLIP: the page, the API, files by id, and what it refuses. */
class SearchServerTest {
    static final Path MODEL = Path.of("../models/src/test/resources/hf/tiny-clip");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Clip clip;
    static ImageIndex index;
    static SearchServer server;
    static List<Path> files;

    @BeforeAll
    static void start() throws Exception {
        Path photos = tmp.resolve("photos");
        files = TestPictures.write(photos, 12, 300, 200, 3);
        clip = Clip.load(MODEL);
        index = ImageIndex.open(tmp.resolve("index"), clip, "tiny-clip");
        index.update(photos, 8, IndexProgress.NONE);
        server = SearchServer.start(index, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        index.close();
        clip.close();
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void thePageAndHealth() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(new String(page.body())).contains("<title>Vireo image search</title>", "/api/search");
        JsonNode health = json(get("/api/health"));
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("images").asInt()).isEqualTo(12);
    }

    @Test
    void textSearchGivesTheIndexsResultsWithLinks() throws Exception {
        JsonNode results = json(get("/api/search?q=a%20photo%20of%20a%20cat&k=5")).get("results");
        List<Hit> want = index.searchText("a photo of a cat", 5, SearchOptions.defaults());
        assertThat(results).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i).get("path").asText()).isEqualTo(want.get(i).path().toString());
            assertThat((float) results.get(i).get("score").asDouble()).isEqualTo(want.get(i).score());
            assertThat(results.get(i).get("thumbnail").asText()).isEqualTo("/thumb/" + want.get(i).id());
        }
    }

    @Test
    void anUploadedImageFindsItself() throws Exception {
        JsonNode results = json(send("POST", "/api/search?k=3", Files.readAllBytes(files.get(4)))).get("results");
        assertThat(results.get(0).get("path").asText()).isEqualTo(files.get(4).toString());
        assertThat(results.get(0).get("score").asDouble()).isGreaterThan(0.9999);
    }

    @Test
    void filesAndThumbnailsAreServedByIdOnly() throws Exception {
        String id = index.searchImage(files.get(2), 1, SearchOptions.defaults()).getFirst().id();
        HttpResponse<byte[]> image = get("/image/" + id);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(image.body()).isEqualTo(Files.readAllBytes(files.get(2)));
        HttpResponse<byte[]> thumb = get("/thumb/" + id);
        assertThat(thumb.statusCode()).isEqualTo(200);
        RgbImage small = ImageDecoder.decode(thumb.body(), "thumbnail");
        assertThat(Math.max(small.width(), small.height())).isEqualTo(Thumbnails.SIDE);
        assertThat(get("/thumb/" + id).body()).isEqualTo(thumb.body()); // cached, the same bytes
        for (String traversal : List.of("/image/..%2F..%2Fetc%2Fpasswd", "/image/../../etc/passwd", "/thumb/" + files.get(2), "/image/ABCDEF0123456789")) {
            HttpResponse<byte[]> r = get(traversal);
            assertThat(r.statusCode()).as(traversal).isIn(400, 404);
            assertThat(new String(r.body())).as(traversal).doesNotContain("root:");
        }
        assertThat(get("/image/0123456789abcdef").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedRequestsGetA4xxJsonError() throws Exception {
        for (String bad : List.of("/api/search", "/api/search?q=", "/api/search?q=cat&k=abc", "/api/search?q=cat&k=0",
                "/api/search?q=cat&k=100000", "/api/search?q=" + "a".repeat(1_001))) {
            HttpResponse<byte[]> r = get(bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(bad).isNotBlank().doesNotContain("\n");
        }
        // an escape no URI class would build, sent as raw bytes: the JDK's server refuses the request line itself (its own 400 page)
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /api/search?q=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400");
        }
        assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> delete = send("DELETE", "/", new byte[0]);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).contains("GET");
        assertThat(send("PUT", "/api/search?q=cat", new byte[0]).statusCode()).isEqualTo(405);
        HttpResponse<byte[]> garbage = send("POST", "/api/search", "not an image".getBytes());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(garbage).get("error").asText()).contains("uploaded image");
        assertThat(send("POST", "/api/search", new byte[0]).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> huge = send("POST", "/api/search", new byte[SearchServer.MAX_UPLOAD + 1]);
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void aFileDamagedOrDeletedAfterIndexingCostsOnlyItself() throws Exception {
        Path damaged = tmp.resolve("photos/photo10.png"), deleted = tmp.resolve("photos/photo11.png");
        String damagedId = index.searchImage(damaged, 1, SearchOptions.defaults()).getFirst().id();
        String deletedId = index.searchImage(deleted, 1, SearchOptions.defaults()).getFirst().id();
        Files.write(damaged, "no longer a PNG".getBytes());
        Files.delete(deleted);
        assertThat(get("/thumb/" + damagedId).statusCode()).isEqualTo(422);
        assertThat(get("/thumb/" + deletedId).statusCode()).isEqualTo(404);
        assertThat(get("/image/" + deletedId).statusCode()).isEqualTo(404);
        assertThat(json(get("/api/search?q=cat&k=12")).get("results")).hasSize(12);
        assertThat(get("/api/health").statusCode()).isEqualTo(200);
    }
}
