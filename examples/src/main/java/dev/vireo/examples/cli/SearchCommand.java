package dev.vireo.examples.cli;

import dev.vireo.models.Clip;
import dev.vireo.search.Hit;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.SearchOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo search}: the images of an index closest to a text or to an image, best first, by cosine similarity. */
@Command(name = "search", description = "search an index made by vireo index, by text or by example image")
final class SearchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "INDEX", description = "the index folder")
    Path index;

    static final class Query {
        @Option(names = "--text", required = true, paramLabel = "STRING", description = "what to look for, in words")
        String text;

        @Option(names = "--image", required = true, paramLabel = "PATH", description = "an image to find others like (query by example)")
        Path image;
    }

    @ArgGroup(multiplicity = "1")
    Query query;

    @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "how many results (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--exact", description = "compare with every image instead of searching the HNSW graph (always so up to "
            + SearchOptions.EXACT_UP_TO + " images)")
    boolean exact;

    @Option(names = "--folder", paramLabel = "DIR", description = "only images under this folder")
    Path folder;

    @Option(names = "--model", paramLabel = "DIR|FILE", description = "the model the index was made with (default: the one it records)")
    Path model;

    @Option(names = "--config", paramLabel = "NAME", description = "the open_clip config of a .safetensors model file")
    String config;

    @Option(names = "--json", description = "print {\"results\": [{\"path\", \"score\", \"id\"}]} best first")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path modelPath = model != null ? model : Path.of(ImageIndex.describe(index).get("model"));
        SearchOptions options = (exact ? SearchOptions.defaults().exact() : SearchOptions.defaults()).under(folder);
        try (Clip clip = Clip.load(modelPath, config); ImageIndex ix = ImageIndex.open(index, clip, modelPath.toAbsolutePath().normalize().toString())) {
            List<Hit> hits = query.text != null ? ix.searchText(query.text, k, options) : ix.searchImage(query.image, k, options);
            if (json) {
                List<Map<String, Object>> results = hits.stream().map(h -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("path", h.path().toString());
                    r.put("score", h.score());
                    r.put("id", h.id());
                    return r;
                }).toList();
                System.out.println(Json.write(Map.of("results", results)));
            } else {
                for (Hit h : hits) System.out.printf("%.4f  %s%n", h.score(), h.path());
            }
        }
        return 0;
    }
}
