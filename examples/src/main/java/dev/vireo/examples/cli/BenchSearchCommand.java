package dev.vireo.examples.cli;

import dev.vireo.examples.serve.SearchLoad;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.text.ClipTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo bench search}: the load test of {@code vireo serve} on loopback (see {@link SearchLoad}). */
@Command(name = "search", description = "load test of vireo serve on loopback: index shapes pictures, then concurrent "
        + "clients send mixed text and image queries; errors, p50/p99 latency, queries/s")
final class BenchSearchCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR|FILE", description = "the model (default: the tiny config with seeded weights; "
            + "a vireo demo run makes caption_found_in_top10 meaningful)")
    Path model;

    @Option(names = "--images", paramLabel = "N", defaultValue = "10000", description = "pictures indexed (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "16", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--queries", paramLabel = "N", defaultValue = "2000", description = "queries in all (default: ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--image-share", paramLabel = "X", defaultValue = "0.3", description = "share of queries by example image (default: ${DEFAULT-VALUE})")
    double imageShare;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "600", description = "time limit of the query phase (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed of the queries (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "accepted for symmetry: the report is always one JSON document on stdout")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (images < 1 || clients < 1 || queries < 1 || seconds < 1 || !(imageShare >= 0 && imageShare <= 1)) {
            throw new IllegalArgumentException("bench search: --images, --clients, --queries and --seconds must be positive, --image-share in [0, 1]");
        }
        Clip clip = model != null ? Clip.load(model)
                : new Clip(new ClipModel(ClipConfig.create("tiny"), 0L), ClipTokenizer.openai(),
                        new ClipPreprocessor(ClipPreprocessConfig.openai(32)), null, "vireo");
        try (clip) {
            SearchLoad.Result r = SearchLoad.run(clip, images, clients, queries, imageShare, seed, Duration.ofSeconds(seconds), System.err);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model == null ? "tiny (seeded, untrained)" : model.toString());
            out.put("images", r.images());
            out.put("index_seconds", round(r.indexSeconds()));
            out.put("clients", r.clients());
            out.put("queries", r.queries());
            out.put("text_queries", r.textQueries());
            out.put("errors", r.errors());
            out.put("p50_ms", round(r.p50Ms()));
            out.put("p99_ms", round(r.p99Ms()));
            out.put("max_ms", round(r.maxMs()));
            out.put("queries_per_s", round(r.queriesPerSecond()));
            out.put("caption_found_in_top10", round(r.captionFoundInTop10()));
            System.out.println(Json.write(out));
            return r.errors() == 0 ? 0 : 1;
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
