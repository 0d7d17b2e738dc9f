package dev.vireo.examples.serve;

import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.models.Clip;
import dev.vireo.models.data.shapes.ShapeScene;
import dev.vireo.models.data.shapes.ShapesSampleWriter;
import dev.vireo.models.data.shapes.ShapesWorld;
import dev.vireo.models.train.ShapesData;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.IndexReport;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load test of {@code vireo serve} on loopback: held-out shapes scenes written as PNG files and
 * indexed with a model, the server started on a free port, then concurrent clients sending a fixed
 * number of mixed queries (captions as text, indexed pictures as uploads) with a time limit. Reports
 * errors, latency percentiles and queries per second, and how often a caption query finds its own
 * picture in the top 10 (meaningful with a trained model, e.g. a {@code vireo demo} run).
 */
public final class SearchLoad {
    private SearchLoad() {}

    public record Result(int images, double indexSeconds, int clients, int queries, int textQueries, int errors,
                         double p50Ms, double p99Ms, double maxMs, double queriesPerSecond, double captionFoundInTop10) {}

    public static Result run(Clip clip, int images, int clients, int queries, double imageShare, long seed, Duration limit,
                             PrintStream progress) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("vireo-search-load");
        try {
            int side = clip.model().config().vision().imageSize();
            ShapesData scenes = ShapesData.split(false, images, new ShapesWorld.Config(side, 1, 2));
            Path photos = Files.createDirectories(work.resolve("pictures"));
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                Path p = photos.resolve(String.format("scene%06d.png", i)).toAbsolutePath().normalize();
                ShapesSampleWriter.writePng(p, scenes.scenes().get(i));
                files.add(p);
            }
            progress.printf("wrote %d pictures; indexing...%n", images);
            try (ImageIndex index = ImageIndex.open(work.resolve("index"), clip, "load test")) {
                IndexReport report = index.update(photos, 256, IndexProgress.NONE);
                progress.printf("indexed %d in %.1f s; %d clients, %d queries...%n", report.indexed(), report.seconds(), clients, queries);
                try (SearchServer server = SearchServer.start(index, "127.0.0.1", 0)) {
                    return load(server.port(), report, scenes, files, clients, queries, imageShare, seed, limit);
                }
            }
        } finally {
            ScratchFolders.delete(work);
        }
    }

    private static Result load(int port, IndexReport report, ShapesData scenes, List<Path> files, int clients, int queries,
                               double imageShare, long seed, Duration limit) throws IOException, InterruptedException {
        Random random = new Random(seed);
        int[] target = new int[queries];
        boolean[] byImage = new boolean[queries];
        for (int q = 0; q < queries; q++) {
            target[q] = random.nextInt(files.size());
            byImage[q] = random.nextDouble() < imageShare;
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        long[] latency = new long[queries];
        AtomicInteger next = new AtomicInteger(), errors = new AtomicInteger(), found = new AtomicInteger(), texts = new AtomicInteger();
        long deadline = System.nanoTime() + limit.toNanos(), start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().name("load-client-" + c).start(() -> {
                for (int q; (q = next.getAndIncrement()) < queries && System.nanoTime() < deadline; ) {
                    long t0 = System.nanoTime();
                    try {
                        String base = "http://127.0.0.1:" + port + "/api/search?k=10";
                        HttpRequest request;
                        String own = files.get(target[q]).toString();
                        if (byImage[q]) {
                            request = HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(60))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(files.get(target[q])))).build();
                        } else {
                            ShapeScene scene = scenes.scenes().get(target[q]);
                            String caption = scene.captions().get(q % scene.captions().size());
                            request = HttpRequest.newBuilder(URI.create(base + "&q=" + URLEncoder.encode(caption, StandardCharsets.UTF_8)))
                                    .timeout(Duration.ofSeconds(60)).GET().build();
                        }
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) errors.incrementAndGet();
                        else if (!byImage[q]) {
                            texts.incrementAndGet();
                            if (r.body().contains("\"path\":\"" + own.replace("\\", "\\\\") + "\"")) found.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latency[q] = System.nanoTime() - t0;
                }
            }));
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = Math.min(next.get(), queries);
        long[] sorted = Arrays.stream(latency, 0, done).filter(l -> l > 0).sorted().toArray();
        int unanswered = done - sorted.length;
        return new Result(files.size(), report.seconds(), clients, sorted.length, texts.get(), errors.get() + unanswered,
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                sorted.length / seconds, texts.get() == 0 ? 0 : (double) found.get() / texts.get());
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
