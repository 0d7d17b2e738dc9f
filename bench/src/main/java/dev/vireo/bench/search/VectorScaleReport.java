package dev.vireo.bench.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vireo.engine.io.ScratchFolders;
import dev.vireo.search.VectorFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code vireo bench vectors}: the search module's vector format at scale. N clustered unit vectors
 * of dimension D (1,000 centres, Gaussian spread) go into a Lucene index as {@code ImageIndex} stores
 * them, merged into one segment; then Q held-out queries are searched on one thread as
 * {@code ImageIndex} searches (HNSW candidates rescored by their float vectors) and compared with an
 * exact scan. Reports build time, the bytes of the quantized and of the float vectors, heap in use,
 * recall@10 and queries per second.
 */
public final class VectorScaleReport {
    static final String FIELD = "vector";

    private VectorScaleReport() {}

    public static void main(String[] args) throws Exception {
        int n = 1_000_000, dim = 512, queries = 200, k = 10;
        long seed = 1;
        int[] sweep = {20, 50, 100, VectorFormat.candidates(k), 400};
        Path keep = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vectors" -> n = Integer.parseInt(args[++i]);
                case "--dim" -> dim = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--quick" -> { n = 20_000; queries = 50; }
                case "--candidates" -> sweep = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--index" -> keep = Path.of(args[++i]);
                case "--json" -> { }
                default -> throw new IllegalArgumentException("bench vectors: unknown option " + args[i]);
            }
        }
        float[][] data = clustered(n, dim, seed);
        float[][] held = clustered(queries, dim, seed + 1_000_003);
        boolean reuse = keep != null && Files.isDirectory(keep) && Files.list(keep).anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("vireo-vectors");
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            out.put("vectors", n);
            out.put("dim", dim);
            long t0 = System.nanoTime();
            if (!reuse) build(dir, data); // --index DIR keeps the index for another sweep of the same vectors
            out.put(reuse ? "build_seconds_of_an_earlier_run" : "build_seconds", reuse ? "reused " + dir : round((System.nanoTime() - t0) / 1e9));
            Map<String, Long> bytes = bytesByExtension(dir);
            long floats = bytes.getOrDefault("vec", 0L), quantized = bytes.getOrDefault("veq", 0L), graph = bytes.getOrDefault("vex", 0L);
            out.put("float_vector_bytes", floats);
            out.put("quantized_vector_bytes", quantized);
            out.put("graph_bytes", graph);
            out.put("quantized_share_of_float", round((double) quantized / Math.max(1, floats)));
            out.put("index_bytes", bytes.values().stream().mapToLong(Long::longValue).sum());
            try (FSDirectory fs = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(fs)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                for (int d : new int[] {0, n / 2, n - 1}) { // the search below takes doc ids for vector indexes: check it
                    int id = searcher.storedFields().document(d).getField("id").numericValue().intValue();
                    if (reader.leaves().size() != 1 || id != d) throw new IllegalStateException("bench vectors: documents left insertion order");
                }
                Runtime rt = Runtime.getRuntime();
                System.gc();
                out.put("heap_mb_in_use", (rt.totalMemory() - rt.freeMemory()) >> 20);
                out.put("heap_mb_of_the_raw_vectors", (long) n * dim * 4 >> 20);
                out.put("queries", queries);
                List<Set<Integer>> truth = new ArrayList<>();
                for (float[] q : held) {
                    Set<Integer> exact = new HashSet<>();
                    for (int id : exact(data, q, k)) exact.add(id);
                    truth.add(exact);
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                for (int candidates : sweep) {
                    for (float[] q : held) search(searcher, data, q, k, candidates); // warm-up
                    int[][] approximate = new int[queries][];
                    long s0 = System.nanoTime();
                    for (int i = 0; i < queries; i++) approximate[i] = search(searcher, data, held[i], k, candidates);
                    double seconds = (System.nanoTime() - s0) / 1e9;
                    int hits = 0;
                    for (int i = 0; i < queries; i++) for (int id : approximate[i]) if (truth.get(i).contains(id)) hits++;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("candidates", candidates);
                    row.put("recall_at_10", round((double) hits / (queries * k)));
                    row.put("queries_per_s_one_thread", round(queries / seconds));
                    rows.add(row);
                    System.err.printf("  %d candidates: recall@10 %.3f, %.0f queries/s%n", candidates, (double) hits / (queries * k), queries / seconds);
                }
                out.put("search", rows);
                out.put("candidates_of_the_index", VectorFormat.candidates(k));
            }
        } finally {
            if (keep == null) ScratchFolders.delete(dir);
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }

    /** n unit vectors around 1,000 random unit centres, seeded. */
    static float[][] clustered(int n, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = new float[1000][dim];
        SplittableRandom centreRandom = new SplittableRandom(42);
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) c[d] = (float) gaussian(centreRandom);
            normalise(c);
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[random.nextInt(centres.length)];
            for (int d = 0; d < dim; d++) out[i][d] = c[d] + 0.6f / (float) Math.sqrt(dim) * (float) gaussian(random);
            normalise(out[i]);
        }
        return out;
    }

    private static void build(Path dir, float[][] data) throws IOException {
        IndexWriterConfig config = VectorFormat.writerConfig().setRAMBufferSizeMB(1024)
                .setMergePolicy(new LogDocMergePolicy()); // keeps documents in insertion order: doc id = vector index
        try (FSDirectory fs = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(fs, config)) {
            for (int i = 0; i < data.length; i++) {
                Document doc = new Document();
                doc.add(new KnnFloatVectorField(FIELD, data[i], VectorSimilarityFunction.DOT_PRODUCT));
                doc.add(new StoredField("id", i));
                writer.addDocument(doc);
                if ((i + 1) % 100_000 == 0) System.err.printf("  added %,d vectors%n", i + 1);
            }
            System.err.println("  merging into one segment...");
            writer.forceMerge(1);
            writer.commit();
        }
    }

    /** As ImageIndex: HNSW candidates, rescored by their float vectors. */
    private static int[] search(IndexSearcher searcher, float[][] data, float[] q, int k, int candidates) throws IOException {
        ScoreDoc[] found = searcher.search(new KnnFloatVectorQuery(FIELD, q, candidates), candidates).scoreDocs;
        Integer[] ids = new Integer[found.length];
        for (int i = 0; i < found.length; i++) ids[i] = found[i].doc; // one segment in insertion order: doc = vector index
        java.util.Arrays.sort(ids, Comparator.comparingDouble((Integer id) -> -VectorUtil.dotProduct(q, data[id])));
        int[] out = new int[Math.min(k, ids.length)];
        for (int i = 0; i < out.length; i++) out[i] = ids[i];
        return out;
    }

    private static int[] exact(float[][] data, float[] q, int k) {
        int[] best = new int[k];
        float[] score = new float[k];
        java.util.Arrays.fill(score, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < data.length; i++) {
            float s = VectorUtil.dotProduct(q, data[i]);
            if (s <= score[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && score[j - 1] < s) {
                score[j] = score[j - 1];
                best[j] = best[j - 1];
                j--;
            }
            score[j] = s;
            best[j] = i;
        }
        return best;
    }

    private static Map<String, Long> bytesByExtension(Path dir) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
                out.merge(ext, Files.size(f), Long::sum);
            }
        }
        return out;
    }

    private static void normalise(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
