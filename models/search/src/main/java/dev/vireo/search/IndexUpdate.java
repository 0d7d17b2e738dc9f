package dev.vireo.search;

import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.ImageDecodeException;
import dev.vireo.models.image.ImageDecoder;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.Bits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One pass of {@link ImageIndex#update}: walk the folder, compare with what the index holds, remove
 * the files that are gone, and embed the new and changed ones in batches while the next files are
 * read, hashed, decoded and preprocessed on other threads.
 */
final class IndexUpdate {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

    private record Known(long size, long mtime) {}

    private record Found(Path file, long size, long mtime) {}

    /** A file read and preprocessed: its pixels (3, S, S), or why not. */
    private record Prepared(Found file, String sha256, float[] pixels, String error) {}

    private final ImageIndex index;
    private final Path root;
    private final int batch;
    private final IndexProgress progress;

    IndexUpdate(ImageIndex index, Path root, int batch, IndexProgress progress) {
        if (batch < 1) throw new IllegalArgumentException("index: batch must be at least 1, got " + batch);
        this.index = index;
        this.root = root;
        this.batch = batch;
        this.progress = progress;
    }

    IndexReport run() throws IOException {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("index: " + root + " is not a folder");
        long t0 = System.nanoTime();
        Map<Path, Known> known = known();
        List<Found> todo = new ArrayList<>();
        int unchanged = 0;
        Set<Path> seen = new HashSet<>();
        for (Found f : walk()) {
            seen.add(f.file());
            Known k = known.get(f.file());
            if (k != null && k.size() == f.size() && k.mtime() == f.mtime()) unchanged++;
            else todo.add(f);
        }
        int removed = 0;
        for (Path p : known.keySet()) {
            if (p.startsWith(root) && !seen.contains(p)) {
                index.writer().deleteDocuments(new Term(ImageIndex.PATH, p.toString()));
                removed++;
            }
        }
        List<IndexReport.Skipped> skipped = new ArrayList<>();
        int indexed = embed(todo, skipped);
        index.commitAndRefresh();
        return new IndexReport(indexed, unchanged, removed, skipped, (System.nanoTime() - t0) / 1e9);
    }

    /** Path → size and modification time of every image the index holds. */
    private Map<Path, Known> known() throws IOException {
        Map<Path, Known> out = new HashMap<>();
        Set<String> fields = Set.of(ImageIndex.PATH, ImageIndex.SIZE, ImageIndex.MTIME);
        for (LeafReaderContext leaf : index.reader().leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            StoredFields stored = leaf.reader().storedFields();
            for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                if (live != null && !live.get(doc)) continue;
                var d = stored.document(doc, fields);
                out.put(Path.of(d.get(ImageIndex.PATH)), new Known(d.getField(ImageIndex.SIZE).numericValue().longValue(),
                        d.getField(ImageIndex.MTIME).numericValue().longValue()));
            }
        }
        return out;
    }

    /** Image files under the root, by extension, in path order; symbolic links are not followed. */
    private List<Found> walk() throws IOException {
        List<Found> out = new ArrayList<>();
        try (var files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String name = p.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot < 0 || !EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) continue;
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // vanished while walking
                }
                if (a.isRegularFile()) out.add(new Found(p, a.size(), a.lastModifiedTime().toMillis()));
            }
        } catch (UncheckedIOException e) {
            throw new IOException("index: cannot walk " + root + ": " + e.getCause().getMessage(), e.getCause());
        }
        return out;
    }

    /** Embeds the files in batches, two batches read ahead; returns how many were indexed. */
    private int embed(List<Found> todo, List<IndexReport.Skipped> skipped) throws IOException {
        if (todo.isEmpty()) return 0;
        ClipPreprocessor preprocessor = index.model().preprocessor();
        int side = index.model().model().config().vision().imageSize(), per = 3 * side * side;
        int readers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        int indexed = 0, done = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(readers, r -> {
            Thread t = new Thread(r, "vireo-index-reader");
            t.setDaemon(true);
            return t;
        })) {
            Deque<Future<Prepared>> ahead = new ArrayDeque<>();
            int next = 0;
            while (done < todo.size()) {
                while (next < todo.size() && ahead.size() < 3 * batch) {
                    Found f = todo.get(next++);
                    ahead.add(pool.submit(() -> prepare(f, preprocessor)));
                }
                List<Prepared> ready = new ArrayList<>();
                while (ready.size() < batch && !ahead.isEmpty()) ready.add(get(ahead.poll()));
                List<Prepared> good = new ArrayList<>();
                for (Prepared p : ready) {
                    if (p.error() == null) good.add(p);
                    else skipped.add(new IndexReport.Skipped(p.file().file(), p.error()));
                }
                if (!good.isEmpty()) {
                    float[] pixels = new float[good.size() * per]; // (b, 3, S, S)
                    for (int j = 0; j < good.size(); j++) System.arraycopy(good.get(j).pixels(), 0, pixels, j * per, per);
                    float[][] features = index.model().encodePreprocessed(pixels, good.size()); // (b, E)
                    for (int j = 0; j < good.size(); j++) {
                        Prepared p = good.get(j);
                        index.writer().updateDocument(new Term(ImageIndex.PATH, p.file().file().toString()),
                                ImageIndex.document(p.file().file(), p.file().size(), p.file().mtime(), p.sha256(), features[j]));
                    }
                    indexed += good.size();
                }
                done += ready.size();
                progress.embedded(done, todo.size());
            }
        }
        return indexed;
    }

    private static Prepared prepare(Found f, ClipPreprocessor preprocessor) {
        try {
            byte[] bytes = Files.readAllBytes(f.file());
            String sha = ImageIndex.contentSha256(bytes);
            return new Prepared(f, sha, preprocessor.preprocess(ImageDecoder.decode(bytes, f.file().toString())), null);
        } catch (ImageDecodeException e) {
            return new Prepared(f, null, null, e.getMessage());
        } catch (IOException e) {
            return new Prepared(f, null, null, "image " + f.file() + " cannot be read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            return new Prepared(f, null, null, "image " + f.file() + " is too large to decode in this heap");
        }
    }

    private static Prepared get(Future<Prepared> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("index: interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("index: reading an image failed: " + e.getCause(), e.getCause());
        }
    }
}
