package dev.vireo.spark;

import dev.vireo.search.ImageIndex;
import dev.vireo.search.ShardWriter;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * {@code vireo spark index}: a search index of {@code vireo spark embed}'s table, one Lucene shard per
 * partition written by its task ({@link ShardWriter}), joined by the driver into one index that
 * {@code vireo search} and {@code vireo serve} open as any other. A task writes its shard under a
 * name of its attempt and renames it when complete, so a retried task never leaves half a shard or
 * two. The folder must be one all executors and the driver see (a local one for {@code local[N]}).
 */
public final class IndexJob {
    /** What a run made: the shards' names and how many images each holds. */
    public record Summary(List<String> shards, long images, double seconds) {}

    private IndexJob() {}

    public static Summary run(Dataset<Row> embeddings, int shards, Path out) throws IOException {
        if (shards < 1) throw new IllegalArgumentException("index: shards must be at least 1, got " + shards);
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) throw new IllegalArgumentException("index: " + out + " is not empty; give a new folder");
            }
        }
        for (String c : List.of("path", "embedding", "size", "mtime", "sha256", "model", "model_sha256")) {
            if (!List.of(embeddings.columns()).contains(c)) {
                throw new IllegalArgumentException("index: the table has no " + c + " column: is it vireo spark embed's embeddings?");
            }
        }
        long models = embeddings.select("model_sha256").distinct().count();
        if (models > 1) throw new IllegalArgumentException("index: the table holds embeddings of " + models + " different models");
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        String root = out.toAbsolutePath().normalize().toString();
        List<Row> written = embeddings.repartition(shards, col("path")).mapPartitions((MapPartitionsFunction<Row, Row>) rows -> {
            TaskContext task = TaskContext.get();
            String name = String.format("shard-%05d", task.partitionId());
            Path attempt = Path.of(root, String.format(".%s.attempt-%d", name, task.attemptNumber())), done = Path.of(root, name);
            deleteTree(attempt);
            ShardWriter writer = null;
            long n = 0;
            try {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    List<Float> e = r.getList(r.fieldIndex("embedding"));
                    float[] v = new float[e.size()];
                    for (int i = 0; i < v.length; i++) v[i] = e.get(i);
                    if (writer == null) writer = new ShardWriter(attempt, r.getAs("model"), r.getAs("model_sha256"), v.length);
                    writer.add(r.getAs("path"), r.getAs("size"), r.getAs("mtime"), r.getAs("sha256"), v);
                    n++;
                }
            } finally {
                if (writer != null) writer.close();
            }
            if (n == 0) return List.<Row>of().iterator(); // a partition the hash left empty makes no shard
            deleteTree(done); // an earlier attempt that finished, then died before Spark heard of it
            Files.move(attempt, done, StandardCopyOption.ATOMIC_MOVE);
            return List.of(org.apache.spark.sql.RowFactory.create(name, n)).iterator();
        }, Encoders.row(new org.apache.spark.sql.types.StructType().add("shard", "string").add("images", "long"))).collectAsList();
        List<String> names = written.stream().map(r -> (String) r.getAs("shard")).sorted().toList();
        if (names.isEmpty()) throw new IllegalArgumentException("index: the table holds no embeddings");
        ImageIndex.joinShards(out, names);
        try (var entries = Files.list(out)) { // what attempts that died left
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(".shard-")).toList()) deleteTree(p);
        }
        long images = written.stream().mapToLong(r -> r.getAs("images")).sum();
        return new Summary(names, images, (System.nanoTime() - t0) / 1e9);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) Files.deleteIfExists(p);
    }
}
