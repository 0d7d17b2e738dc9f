package dev.vireo.search;

import dev.vireo.models.Clip;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image index in a folder: Lucene's segments (one document per image: its id, path, every folder
 * above it, size, modification time, content SHA-256 and the normalised embedding in an HNSW graph
 * in the {@link VectorFormat}, the float vectors kept for exact scores) and
 * {@code vireo-index.json}, which names the model. Opening it with another model is refused.
 *
 * <p>Not thread-safe for updates; searches may run concurrently with each other.
 */
public final class ImageIndex implements AutoCloseable {
    static final String ID = "id", PATH = "path", DIR = "dir", SIZE = "size", MTIME = "mtime", SHA256 = "sha256", VECTOR = "vector";

    private final Path dir;
    private final Clip clip;
    private final IndexManifest manifest;
    private final List<Directory> directories = new ArrayList<>();
    private final IndexWriter writer; // null for a sharded index: read-only
    private IndexReader reader;

    private ImageIndex(Path dir, Clip clip, IndexManifest manifest) throws IOException {
        this.dir = dir;
        this.clip = clip;
        this.manifest = manifest;
        if (manifest.sharded()) {
            this.writer = null;
            this.reader = openShards(dir, manifest);
        } else {
            Directory directory = FSDirectory.open(dir);
            directories.add(directory);
            IndexWriterConfig config = VectorFormat.writerConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            this.writer = new IndexWriter(directory, config);
            this.reader = DirectoryReader.open(writer);
        }
    }

    /** One reader over every shard, each checked to be an index of the same model. */
    private IndexReader openShards(Path dir, IndexManifest manifest) throws IOException {
        List<IndexReader> readers = new ArrayList<>();
        try {
            for (String name : manifest.shards()) {
                Path shard = dir.resolve(name);
                IndexManifest m = IndexManifest.read(shard);
                if (!m.modelSha256().equals(manifest.modelSha256()) || m.dimension() != manifest.dimension() || m.sharded()) {
                    throw new IOException("index " + dir + ": shard " + name + " was made with another model or width");
                }
                Directory d = FSDirectory.open(shard);
                directories.add(d);
                readers.add(DirectoryReader.open(d));
            }
            return new MultiReader(readers.toArray(IndexReader[]::new), true);
        } catch (IOException | RuntimeException e) {
            for (IndexReader r : readers) r.close();
            for (Directory d : directories) d.close();
            throw e;
        }
    }

    /**
     * Makes {@code dir} (an empty or absent folder holding the shards' subfolders already written, each
     * by {@link ShardWriter}) one index searchable as a whole: checks every shard names the same model
     * and width and writes the manifest that lists them. Shards are searched together, read-only.
     */
    public static void joinShards(Path dir, List<String> shards) throws IOException {
        if (shards.isEmpty()) throw new IllegalArgumentException("index " + dir + ": no shards to join");
        IndexManifest first = IndexManifest.read(dir.resolve(shards.getFirst()));
        for (String name : shards) {
            IndexManifest m = IndexManifest.read(dir.resolve(name));
            if (m.sharded() || !m.modelSha256().equals(first.modelSha256()) || m.dimension() != first.dimension()) {
                throw new IllegalArgumentException("index " + dir + ": shard " + name + " was made with another model or width than "
                        + shards.getFirst());
            }
        }
        new IndexManifest(IndexManifest.FORMAT, first.model(), first.modelSha256(), first.dimension(), List.copyOf(shards)).write(dir);
    }

    /**
     * Opens the index in {@code dir}, creating it when the folder is empty or absent. {@code modelName}
     * is how the user named the model (recorded for people); the weights' SHA-256 is what must match.
     */
    public static ImageIndex open(Path dir, Clip clip, String modelName) throws IOException {
        String sha = ModelFingerprint.of(clip.model());
        int dimension = clip.model().config().embedDim();
        IndexManifest manifest;
        if (IndexManifest.exists(dir)) {
            manifest = IndexManifest.read(dir);
            if (!manifest.modelSha256().equals(sha)) {
                throw new IllegalArgumentException("index " + dir + " was made with model " + manifest.model() + " (weights "
                        + manifest.modelSha256().substring(0, 12) + "…), not with " + modelName + " (" + sha.substring(0, 12)
                        + "…): its vectors and this model's queries do not compare; use that model or index again into a new folder");
            }
        } else {
            if (Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("cannot create an index in " + dir + ": the folder is not empty and holds no "
                                + IndexManifest.FILE);
                    }
                }
            }
            Files.createDirectories(dir);
            manifest = new IndexManifest(IndexManifest.FORMAT, modelName, sha, dimension);
            manifest.write(dir);
        }
        return new ImageIndex(dir, clip, manifest);
    }

    /** Reads what {@code vireo-index.json} says about the index in {@code dir}: the model's name and weights' SHA-256. */
    public static Map<String, String> describe(Path dir) throws IOException {
        IndexManifest m = IndexManifest.read(dir);
        return Map.of("model", m.model(), "model_sha256", m.modelSha256(), "dimension", Integer.toString(m.dimension()));
    }

    public Path folder() {
        return dir;
    }

    public Clip model() {
        return clip;
    }

    /** Images in the index. */
    public int size() {
        return reader.numDocs();
    }

    /**
     * Brings the index up to date with the images under {@code root}: new and changed files are
     * embedded, deleted ones removed, unchanged ones (same size and modification time) skipped;
     * unreadable or corrupt files are listed and never fatal. Commits when done.
     */
    public IndexReport update(Path root, int batch, IndexProgress progress) throws IOException {
        if (writer == null) {
            throw new IllegalArgumentException("index " + dir + " is made of " + manifest.shards().size()
                    + " shards (vireo spark index): it is searched as it is; build it again to change it");
        }
        return new IndexUpdate(this, root.toAbsolutePath().normalize(), batch, progress).run();
    }

    /** The images whose cosine similarity with the text is highest, best first. */
    public List<Hit> searchText(String text, int k, SearchOptions options) throws IOException {
        return search(clip.encodeTexts(List.of(text))[0], k, options);
    }

    /** The images most like the image at {@code file} (query by example), best first. */
    public List<Hit> searchImage(Path file, int k, SearchOptions options) throws IOException {
        return search(clip.encodeImages(List.of(file))[0], k, options);
    }

    /** The images whose cosine similarity with {@code query} (any length; normalised here) is highest, best first. */
    public List<Hit> search(float[] query, int k, SearchOptions options) throws IOException {
        if (k < 1) throw new IllegalArgumentException("search: k must be at least 1, got " + k);
        if (query.length != manifest.dimension()) {
            throw new IllegalArgumentException("search: a query of " + query.length + " values for an index of " + manifest.dimension());
        }
        float[] q = Vectors.normalised(query);
        IndexSearcher searcher = new IndexSearcher(reader);
        boolean exact = options.mode() == SearchOptions.Mode.EXACT
                || options.mode() == SearchOptions.Mode.AUTO && size() <= SearchOptions.EXACT_UP_TO;
        if (exact) return ExactSearch.topK(reader, q, k, options.folder());
        TermQuery filter = options.folder() == null ? null : new TermQuery(new Term(DIR, options.folder().toString()));
        // HNSW over quantized vectors finds the candidates; their float vectors give the exact cosine and order
        int candidates = VectorFormat.candidates(k);
        ScoreDoc[] found = searcher.search(new KnnFloatVectorQuery(VECTOR, q, candidates, filter), candidates).scoreDocs;
        return ExactSearch.rescore(reader, q, found, k);
    }

    /** An image file's content hash as the index records it (hex SHA-256 of its bytes): what writers of shards must give too. */
    public static String contentSha256(byte[] bytes) {
        return HexFormat.of().formatHex(Vectors.sha256().digest(bytes));
    }

    /** The path of the image with index id {@code id}, if the index holds it. */
    public Optional<Path> path(String id) throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        ScoreDoc[] docs = searcher.search(new TermQuery(new Term(ID, id)), 1).scoreDocs;
        if (docs.length == 0) return Optional.empty();
        return Optional.of(Path.of(searcher.storedFields().document(docs[0].doc).get(PATH)));
    }

    // ---- used by IndexUpdate

    IndexWriter writer() {
        return writer;
    }

    IndexReader reader() {
        return reader;
    }

    void commitAndRefresh() throws IOException {
        writer.commit();
        DirectoryReader fresh = DirectoryReader.openIfChanged((DirectoryReader) reader, writer);
        if (fresh != null) {
            reader.close();
            reader = fresh;
        }
    }

    static Document document(Path file, long size, long mtime, String sha256, float[] vector) {
        String path = file.toString();
        Document doc = new Document();
        doc.add(new StringField(ID, Vectors.id(path), Field.Store.YES));
        doc.add(new StringField(PATH, path, Field.Store.YES));
        for (Path p = file.getParent(); p != null; p = p.getParent()) doc.add(new StringField(DIR, p.toString(), Field.Store.NO));
        doc.add(new StoredField(SIZE, size));
        doc.add(new StoredField(MTIME, mtime));
        doc.add(new StoredField(SHA256, sha256));
        doc.add(new KnnFloatVectorField(VECTOR, Vectors.normalised(vector), VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
            if (writer != null) writer.close();
        } finally {
            for (Directory d : directories) d.close();
        }
    }
}
