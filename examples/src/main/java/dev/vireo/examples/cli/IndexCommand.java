package dev.vireo.examples.cli;

import dev.vireo.models.Clip;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.IndexReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo index}: indexes (or brings up to date) a folder's images for {@code vireo search}. */
@Command(name = "index", description = "index a folder's images (JPEG, PNG, GIF, BMP) for search by text or by example; "
        + "run it again to add new and changed files and drop deleted ones")
final class IndexCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "the folder of images, searched recursively")
    Path folder;

    @Mixin
    Mixins.Model model;

    @Option(names = "--out", required = true, paramLabel = "INDEX", description = "the index folder (created, or updated when it exists)")
    Path out;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "images embedded at once (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--json", description = "print {\"indexed\", \"unchanged\", \"removed\", \"skipped\", \"seconds\"} as one JSON document")
    boolean json;

    @Option(names = "--quiet", description = "no progress line")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        try (Clip clip = model.load(); ImageIndex index = ImageIndex.open(out, clip, model.path.toAbsolutePath().normalize().toString())) {
            IndexReport r = index.update(folder, batch, quiet ? IndexProgress.NONE : new ProgressLine());
            for (IndexReport.Skipped s : r.skipped()) System.err.println("vireo index: skipped " + s.error());
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("indexed", r.indexed());
                o.put("unchanged", r.unchanged());
                o.put("removed", r.removed());
                o.put("skipped", r.skipped().size());
                o.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
                o.put("skipped_files", r.skipped().stream().map(s -> Map.of("path", s.file().toString(), "error", s.error())).toList());
                System.out.println(Json.write(o));
            } else {
                System.out.printf("%d indexed, %d unchanged, %d removed, %d skipped in %.1f s; %d images in %s%n", r.indexed(), r.unchanged(),
                        r.removed(), r.skipped().size(), r.seconds(), index.size(), out);
            }
        }
        return 0;
    }

    /** "embedding 120/2000 images, 45/s, ETA 42s" on one line of standard error. */
    static final class ProgressLine implements IndexProgress {
        private final long start = System.nanoTime();

        @Override
        public void embedded(int done, int total) {
            double seconds = (System.nanoTime() - start) / 1e9, rate = done / Math.max(seconds, 1e-9);
            long eta = Math.round((total - done) / Math.max(rate, 1e-9));
            System.err.printf("\rembedding %d/%d images, %.0f/s, ETA %dm%02ds ", done, total, rate, eta / 60, eta % 60);
            if (done == total) System.err.println();
        }
    }
}
