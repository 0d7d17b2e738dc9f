package dev.vireo.examples.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.examples.lessons.Lesson;
import dev.vireo.examples.lessons.intermediate.I03TrainTinyClip;
import dev.vireo.examples.serve.SearchServer;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesSampleWriter;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ShapesData;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.IndexReport;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Project 1, "an image search engine using text queries", as an application: a folder of pictures is
 * indexed ({@link ImageIndex}, the index of {@code vireo index}), the search server of {@code vireo serve}
 * starts on a free port, and every held-out caption is sent to its JSON API over HTTP as a user's page
 * would; the picture the caption describes must come back near the top. Expected outcome (full run,
 * 300 pictures with several shapes each, the tiny CLIP of lesson I03): the described picture in the top
 * 10 for at least half of the captions (chance: 3%), every request answered, and a picture found again
 * by its own colour name in most of the top five.
 */
public final class P1ImageSearchEngine implements Lesson {

    @Override
    public boolean run(Context ctx) throws Exception {
        PrintStream out = ctx.out();
        boolean ok = true;
        ClipModel model = I03TrainTinyClip.trainedModel(ctx);
        ShapesData scenes = ShapesData.split(false, ctx.quick() ? 60 : 300, new ShapesWorld.Config(32, 1, 2));
        Path work = Files.createTempDirectory("vireo-p1");
        Path pictures = Files.createDirectories(work.resolve("pictures"));
        Map<String, Integer> sceneOfPath = new HashMap<>();
        for (int i = 0; i < scenes.size(); i++) {
            Path p = pictures.resolve(String.format("scene%04d.png", i)).toAbsolutePath().normalize();
            ShapesSampleWriter.writePng(p, scenes.scenes().get(i));
            sceneOfPath.put(p.toString(), i);
        }
        Clip clip = new Clip(model, ClipTokenizer.openai(), new ClipPreprocessor(ClipPreprocessConfig.openai(32)), null, "vireo");
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        try (ImageIndex index = ImageIndex.open(work.resolve("index"), clip, "I03 tiny CLIP")) {
            IndexReport report = index.update(pictures, 64, IndexProgress.NONE);
            out.printf("indexed %d pictures in %.2f s%n", report.indexed(), report.seconds());
            try (SearchServer server = SearchServer.start(index, "127.0.0.1", 0)) {
                String base = "http://127.0.0.1:" + server.port();
                out.printf("search page at %s/ (vireo serve does the same for any index)%n", base);
                int queries = 0, answered = 0, inTop1 = 0, inTop10 = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < scenes.size(); i++) {
                    ShapeScene scene = scenes.scenes().get(i);
                    String caption = scene.captions().getFirst();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/search?k=10&q="
                            + URLEncoder.encode(caption, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
                    queries++;
                    if (r.statusCode() != 200) continue;
                    answered++;
                    JsonNode results = json.readTree(r.body()).get("results");
                    for (int rank = 0; rank < results.size(); rank++) {
                        if (sceneOfPath.get(results.get(rank).get("path").asText()) == i) {
                            if (rank == 0) inTop1++;
                            inTop10++;
                            break;
                        }
                    }
                    if (i < 3) out.printf("  \"%s\" -> %s%n", caption, results.get(0).get("path").asText().replace(pictures + "/", ""));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double r1 = (double) inTop1 / queries, r10 = (double) inTop10 / queries;
                out.printf("%d captions sent over HTTP in %.1f s (%.0f queries/s): %d answered, R@1 %.1f%%, R@10 %.1f%% (chance R@10 %.1f%%)%n",
                        queries, seconds, queries / seconds, answered, 100 * r1, 100 * r10, 100.0 * 10 / scenes.size());
                ok &= ctx.check("every query answered", answered == queries);
                double floor = ctx.quick() ? 0.35 : 0.5;
                ok &= ctx.check(String.format("the described picture in the top ten for at least %.0f%% of the captions", 100 * floor), r10 >= floor);
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/api/search?q=")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                ok &= ctx.check("an empty query is refused with 400, not an error page", bad.statusCode() == 400);
            }
        } finally {
            dev.vireo.engine.io.ScratchFolders.delete(work);
        }
        return ok;
    }

    public static void main(String[] args) throws Exception {
        Lesson.main(new P1ImageSearchEngine(), args);
    }
}
