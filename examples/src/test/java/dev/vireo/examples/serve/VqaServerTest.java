package dev.vireo.examples.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.models.blip.BlipQuestionAnswerer;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.vilt.ViltAnswerer;
import dev.vireo.models.vqa.VisualQuestionAnswerer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VQA server over the tiny ViLT fixture of the models module, with its three pictures as examples:
 * the page, answers equal to the answerer's own for the same image and question (uploaded or an
 * example, one at a time or many at once), a generative model's answer without {@code top}, and every
 * malformed request refused with a one-line JSON error.
 */
class VqaServerTest {
    static final Path VILT = Path.of("../models/src/test/resources/vilt/tiny_vilt").toAbsolutePath().normalize();
    static final Path BLIP_VQA = Path.of("../models/src/test/resources/blipcap/tiny_blip_vqa").toAbsolutePath().normalize();
    static final List<String> PICTURES = List.of("photo.png", "tall.png", "wide.png");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static ViltAnswerer vilt;
    static VqaServer server;

    @BeforeAll
    static void start() throws Exception {
        Path examples = Files.createDirectories(tmp.resolve("examples"));
        for (String p : PICTURES) Files.copy(VILT.resolve(p), examples.resolve(p));
        Files.writeString(examples.resolve("notes.txt"), "not a picture");
        vilt = ViltAnswerer.load(VILT);
        server = VqaServer.start(vilt, "tiny_vilt", examples, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vilt.close();
    }

    static HttpResponse<byte[]> send(VqaServer s, String method, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        return send(server, method, path, body);
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return send("GET", path, new byte[0]);
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        return JSON.readTree(r.body());
    }

    static String ask(String question) {
        return "/api/vqa?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8);
    }

    /** The answerer's own answer, as the server asks it. */
    static Answer direct(Path picture, String question, int k) {
        RgbImage image = ImageDecoder.decode(picture);
        return vilt.answer(List.of(image), List.of(question), k, GenerationConfig.greedy(VqaServer.MAX_NEW_TOKENS)).getFirst();
    }

    static void assertSameAnswer(JsonNode got, Answer want, String question) {
        assertThat(got.get("question").asText()).isEqualTo(question);
        assertThat(got.get("answer").asText()).isEqualTo(want.answer());
        assertThat(got.get("top")).hasSize(want.top().size());
        for (int i = 0; i < want.top().size(); i++) {
            assertThat(got.get("top").get(i).get("answer").asText()).isEqualTo(want.top().get(i).answer());
            assertThat(got.get("top").get(i).get("score").asDouble()).isEqualTo(want.top().get(i).score());
        }
    }

    @Test
    void thePageHealthAndExamples() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<title>Vireo visual question answering</title>", "/api/vqa");
        JsonNode health = json(get("/api/health"));
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("model").asText()).isEqualTo("tiny_vilt");
        JsonNode examples = json(get("/api/examples")).get("examples");
        assertThat(examples).extracting(e -> e.get("id").asText()).containsExactlyElementsOf(PICTURES); // notes.txt is no picture
        assertThat(examples.get(1).get("thumbnail").asText()).isEqualTo("/thumb/tall.png");
        HttpResponse<byte[]> file = get(examples.get(1).get("image").asText());
        assertThat(file.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(file.body()).isEqualTo(Files.readAllBytes(VILT.resolve("tall.png")));
        RgbImage thumb = ImageDecoder.decode(get("/thumb/tall.png").body(), "thumbnail");
        assertThat(Math.max(thumb.width(), thumb.height())).isLessThanOrEqualTo(Thumbnails.SIDE);
    }

    @Test
    void anUploadAndAnExampleAreAnsweredAsTheAnswererAnswers() throws Exception {
        String question = "What color is the sky?";
        JsonNode uploaded = json(send("POST", ask(question) + "&k=3", Files.readAllBytes(VILT.resolve("wide.png"))));
        assertSameAnswer(uploaded, direct(VILT.resolve("wide.png"), question, 3), question);
        JsonNode example = json(send("POST", ask("  How many dogs are there?  ") + "&example=tall.png", new byte[0]));
        assertSameAnswer(example, direct(VILT.resolve("tall.png"), "How many dogs are there?", VqaServer.DEFAULT_K), "How many dogs are there?");
        assertThat(example.get("top")).hasSize(VqaServer.DEFAULT_K);
        JsonNode most = json(send("POST", ask("is it?") + "&k=" + VqaServer.MAX_K + "&example=photo.png", new byte[0]));
        assertSameAnswer(most, direct(VILT.resolve("photo.png"), "is it?", VqaServer.MAX_K), "is it?"); // all 10 of the fixture's answers
    }

    @Test
    void concurrentQuestionsAreAnsweredOneAtATimeAndEachRight() throws Exception {
        List<String> questions = List.of("Is it a cat", "where is the dog?", "What color is the sky?", "How many dogs are there?");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Callable<JsonNode>> calls = questions.stream().map(q -> (Callable<JsonNode>) () ->
                    json(send("POST", ask(q) + "&example=photo.png", new byte[0]))).toList();
            List<Future<JsonNode>> got = pool.invokeAll(calls);
            for (int i = 0; i < questions.size(); i++) {
                assertSameAnswer(got.get(i).get(), direct(VILT.resolve("photo.png"), questions.get(i), VqaServer.DEFAULT_K), questions.get(i));
            }
        }
    }

    @Test
    void aGenerativeModelsAnswerHasNoTop() throws Exception {
        try (BlipQuestionAnswerer blip = BlipQuestionAnswerer.load(BLIP_VQA);
             VqaServer generative = VqaServer.start(blip, "tiny_blip_vqa", null, "127.0.0.1", 0)) {
            JsonNode got = json(send(generative, "POST", ask("is the cat red?"), Files.readAllBytes(VILT.resolve("photo.png"))));
            RgbImage image = ImageDecoder.decode(VILT.resolve("photo.png"));
            String want = blip.answer(List.of(image), List.of("is the cat red?"), VqaServer.DEFAULT_K,
                    GenerationConfig.greedy(VqaServer.MAX_NEW_TOKENS)).getFirst().answer();
            assertThat(got.get("answer").asText()).isEqualTo(want);
            assertThat(got.has("top")).isFalse();
            assertThat(json(send(generative, "GET", "/api/examples", new byte[0])).get("examples")).isEmpty();
            assertThat(send(generative, "POST", ask("a?") + "&example=photo.png", new byte[0]).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void malformedRequestsGetA4xxJsonError() throws Exception {
        byte[] png = Files.readAllBytes(VILT.resolve("wide.png"));
        Map<String, Integer> refused = Map.ofEntries(
                Map.entry("/api/vqa", 400), Map.entry("/api/vqa?q=", 400), Map.entry("/api/vqa?q=%20%20", 400),
                Map.entry(ask("a".repeat(VqaServer.MAX_QUESTION + 1)), 400), Map.entry(ask("a?") + "&k=0", 400),
                Map.entry(ask("a?") + "&k=21", 400), Map.entry(ask("a?") + "&k=five", 400),
                Map.entry(ask("a?") + "&example=nothing.png", 404), Map.entry(ask("a?") + "&example=..%2F..%2Fetc%2Fpasswd", 404));
        for (Map.Entry<String, Integer> bad : refused.entrySet()) {
            HttpResponse<byte[]> r = send("POST", bad.getKey(), bad.getKey().contains("example=") ? new byte[0] : png);
            assertThat(r.statusCode()).as(bad.getKey()).isEqualTo(bad.getValue());
            assertThat(json(r).get("error").asText()).as(bad.getKey()).isNotBlank().doesNotContain("\n");
        }
        assertThat(send("POST", ask("a".repeat(VqaServer.MAX_QUESTION)), png).statusCode()).as("the longest question").isEqualTo(200);
        HttpResponse<byte[]> empty = send("POST", ask("a?"), new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).get("error").asText()).contains("POST an image");
        HttpResponse<byte[]> corrupt = send("POST", ask("a?"), "not an image".getBytes(StandardCharsets.UTF_8));
        assertThat(corrupt.statusCode()).isEqualTo(400);
        assertThat(json(corrupt).get("error").asText()).contains("the uploaded image", "not a JPEG, PNG, BMP or GIF file").doesNotContain("\n");
        HttpResponse<byte[]> truncated = send("POST", ask("a?"), Arrays.copyOf(png, png.length / 2));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(json(truncated).get("error").asText()).contains("the uploaded image").doesNotContain("\n");
        assertThat(send("POST", ask("a?") + "&example=photo.png", png).statusCode()).as("an example and an upload").isEqualTo(400);
        HttpResponse<byte[]> huge = send("POST", ask("a?"), new byte[VqaServer.MAX_UPLOAD + 1]);
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(json(huge).get("error").asText()).contains("16 MB");

        HttpResponse<byte[]> getVqa = get(ask("a?"));
        assertThat(getVqa.statusCode()).isEqualTo(405);
        assertThat(getVqa.headers().firstValue("Allow")).contains("POST");
        HttpResponse<byte[]> postPage = send("POST", "/", png);
        assertThat(postPage.statusCode()).isEqualTo(405);
        assertThat(postPage.headers().firstValue("Allow")).contains("GET");
        assertThat(send("DELETE", "/api/examples", new byte[0]).statusCode()).isEqualTo(405);
        for (String missing : List.of("/nothing/here", "/example/nothing.png", "/thumb/notes.txt", "/example/..%2F..%2Fetc%2Fpasswd", "/api/vqa/more")) {
            HttpResponse<byte[]> r = get(missing);
            assertThat(r.statusCode()).as(missing).isEqualTo(404);
            assertThat(json(r).get("error").asText()).as(missing).isNotBlank();
        }
        assertThat(get("/api/health").statusCode()).as("still serving").isEqualTo(200);
    }
}
