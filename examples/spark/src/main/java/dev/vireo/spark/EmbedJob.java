package dev.vireo.spark;

import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.ImageDecodeException;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.search.ImageIndex;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * {@code vireo spark embed}: a CLIP model's image features for every image of a source, partition by
 * partition, with the CLI's decoding, preprocessing and kernels, so each row equals {@code vireo embed}'s
 * features of that file to the bit. The model is loaded once per executor ({@link ExecutorModels}) from
 * the path broadcast to it. Writes {@code OUT/embeddings} (Parquet: path, unnormalised embedding, size,
 * mtime, the content's SHA-256, captions, label, model, model_sha256) and {@code OUT/rejects} (path,
 * error) for the images that could not be read: counted in an accumulator, never fatal.
 */
public final class EmbedJob {
    public static final String EMBEDDINGS = "embeddings", REJECTS = "rejects", SUMMARY = "embed.json";

    static final StructType OUT = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("size", DataTypes.LongType, false)
            .add("mtime", DataTypes.LongType, false)
            .add("sha256", DataTypes.StringType, true)
            .add("captions", DataTypes.createArrayType(DataTypes.StringType), true)
            .add("label", DataTypes.StringType, true)
            .add("model", DataTypes.StringType, false)
            .add("model_sha256", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true);

    /** What a run did. */
    public record Summary(long embedded, long rejected, double seconds, String model, String modelSha256) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("embedded", embedded);
            m.put("rejected", rejected);
            m.put("seconds", Math.round(seconds * 1000) / 1000.0);
            m.put("model", model);
            m.put("model_sha256", modelSha256);
            return m;
        }
    }

    /** The options of a run. {@code failFirstAttemptOf}: a partition whose first attempt dies mid-way (fault injection for tests), or -1. */
    public record Options(String model, String config, int batch, int partitions, int failFirstAttemptOf) {
        public Options {
            if (batch < 1) throw new IllegalArgumentException("embed: batch must be at least 1, got " + batch);
        }
    }

    private EmbedJob() {}

    /** The embeddings table of a run's {@code --out} folder, or {@code path} itself when it is the table. */
    public static Path table(Path path) {
        return Files.isDirectory(path.resolve(EMBEDDINGS)) ? path.resolve(EMBEDDINGS) : path;
    }

    public static Summary run(SparkSession spark, Dataset<Row> images, Options options, Path out) throws IOException {
        if (Files.exists(out.resolve(EMBEDDINGS)) || Files.exists(out.resolve(REJECTS))) {
            throw new IllegalArgumentException("embed: " + out + " already holds embeddings; give a new --out");
        }
        long t0 = System.nanoTime();
        String model = Path.of(options.model()).toAbsolutePath().normalize().toString();
        // the driver loads it too: a model that cannot load fails here, in one line, before any task starts
        String sha = ExecutorModels.clip(model, options.config()).sha256();
        Broadcast<String> modelPath = spark.sparkContext().broadcast(model, scala.reflect.ClassTag$.MODULE$.apply(String.class));
        LongAccumulator rejected = spark.sparkContext().longAccumulator("vireo rejected images");
        String config = options.config();
        int batch = options.batch(), fail = options.failFirstAttemptOf();
        Dataset<Row> in = options.partitions() > 0 ? images.repartition(options.partitions()) : images;
        Dataset<Row> embedded = in.mapPartitions((MapPartitionsFunction<Row, Row>) rows ->
                new Embedder(rows, modelPath.value(), config, batch, rejected, fail), Encoders.row(OUT))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            embedded.filter(col("error").isNull()).drop("error").write().parquet(out.resolve(EMBEDDINGS).toString());
            embedded.filter(col("error").isNotNull()).select("path", "error").write().parquet(out.resolve(REJECTS).toString());
        } finally {
            embedded.unpersist();
        }
        // counted from what was written: exact even where a retried task ran its accumulator twice
        Dataset<Row> written = spark.read().parquet(out.resolve(EMBEDDINGS).toString());
        long rejects = spark.read().parquet(out.resolve(REJECTS).toString()).count();
        Summary s = new Summary(written.count(), rejects, (System.nanoTime() - t0) / 1e9, options.model(), sha);
        AtomicFiles.writeString(out.resolve(SUMMARY), Json.write(s.toMap()) + "\n");
        return s;
    }

    /** One partition's rows embedded a batch at a time: decoded and preprocessed here, encoded under the executor's model. */
    static final class Embedder implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final String model;
        private final ExecutorModels.Loaded loaded;
        private final ClipPreprocessor preprocessor;
        private final int batch, side;
        private final LongAccumulator rejected;
        private final boolean failMidway;
        private final Deque<Row> ready = new ArrayDeque<>();
        private int batches;

        Embedder(Iterator<Row> rows, String modelPath, String config, int batch, LongAccumulator rejected, int failPartition) {
            this.rows = rows;
            this.model = modelPath;
            this.loaded = ExecutorModels.clip(modelPath, config);
            this.preprocessor = loaded.clip().preprocessor();
            this.side = loaded.clip().model().config().vision().imageSize();
            this.batch = batch;
            this.rejected = rejected;
            TaskContext task = TaskContext.get();
            this.failMidway = task != null && task.partitionId() == failPartition && task.attemptNumber() == 0;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && rows.hasNext()) next(batch);
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new java.util.NoSuchElementException();
            return ready.poll();
        }

        private record Prepared(Row row, String sha256, long size, float[] pixels, String error) {}

        private void next(int count) {
            if (failMidway && batches == 1) throw new IllegalStateException("vireo spark: fault injected into the first attempt of this partition");
            batches++;
            List<Prepared> part = new ArrayList<>();
            for (int i = 0; i < count && rows.hasNext(); i++) part.add(prepare(rows.next()));
            List<Prepared> good = part.stream().filter(p -> p.error() == null).toList();
            float[][] features = new float[0][];
            if (!good.isEmpty()) {
                int per = 3 * side * side;
                float[] pixels = new float[good.size() * per]; // (b, 3, S, S)
                for (int j = 0; j < good.size(); j++) System.arraycopy(good.get(j).pixels(), 0, pixels, j * per, per);
                synchronized (loaded) {
                    features = loaded.clip().encodePreprocessed(pixels, good.size()); // (b, E)
                }
            }
            int g = 0;
            for (Prepared p : part) {
                Row r = p.row();
                float[] f = p.error() == null ? features[g++] : null;
                if (p.error() != null) rejected.add(1);
                Object captions = r.isNullAt(ImageInputs.CAPTIONS) ? null : ImageInputs.seq(r.getList(ImageInputs.CAPTIONS));
                ready.add(RowFactory.create(r.getString(ImageInputs.PATH), f == null ? null : boxed(f),
                        p.size() >= 0 ? p.size() : r.getLong(ImageInputs.SIZE), r.getLong(ImageInputs.MTIME), p.sha256(), captions,
                        r.isNullAt(ImageInputs.LABEL) ? null : r.getString(ImageInputs.LABEL), model, loaded.sha256(), p.error()));
            }
        }

        private Prepared prepare(Row row) {
            String path = row.getString(ImageInputs.PATH);
            try {
                byte[] bytes = ImageInputs.bytes(row);
                String sha = ImageIndex.contentSha256(bytes);
                return new Prepared(row, sha, bytes.length, preprocessor.preprocess(ImageDecoder.decode(bytes, path)), null);
            } catch (ImageDecodeException e) {
                return new Prepared(row, null, -1, null, e.getMessage());
            } catch (IOException e) {
                return new Prepared(row, null, -1, null, "image " + path + " cannot be read: " + e.getMessage());
            } catch (OutOfMemoryError e) {
                return new Prepared(row, null, -1, null, "image " + path + " is too large to decode in this executor's heap");
            }
        }

        private static Float[] boxed(float[] f) {
            Float[] out = new Float[f.length];
            for (int i = 0; i < f.length; i++) out[i] = f[i];
            return out;
        }
    }
}
