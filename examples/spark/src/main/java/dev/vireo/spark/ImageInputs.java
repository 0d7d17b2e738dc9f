package dev.vireo.spark;

import dev.vireo.models.data.ImageTextSample;
import dev.vireo.models.data.WebDatasetReader;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

/**
 * The images a job reads, as one table whatever the source: {@code path}, the encoded {@code content}
 * (null when it is to be read from the path by the task), {@code size} and {@code mtime} (ms),
 * {@code captions} and {@code label} (either may be null). Sources:
 * <ul>
 *   <li>a folder (Spark's {@code binaryFile}, recursive, JPEG/PNG/GIF/BMP by extension): the label is the
 *       name of the subfolder an image sits in (an image-folder dataset), none for images at the top;</li>
 *   <li>WebDataset shards ({@code .tar}, {@code .tar.gz}): a task per shard, the captions from each
 *       sample's {@code .txt} or {@code .json};</li>
 *   <li>a table ({@code .parquet}, {@code .csv} with a header): a {@code path} or {@code image} column, an
 *       optional binary {@code content}, optional {@code caption} (one per row; rows of one image are
 *       grouped, first appearance first) and {@code label}. Relative paths are read against the table's folder.</li>
 * </ul>
 */
public final class ImageInputs {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

    /** Column positions of {@link #SCHEMA}: rows a task receives may carry no schema to look names up in. */
    static final int PATH = 0, CONTENT = 1, SIZE = 2, MTIME = 3, CAPTIONS = 4, LABEL = 5;

    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("content", DataTypes.BinaryType, true)
            .add("size", DataTypes.LongType, false)
            .add("mtime", DataTypes.LongType, false)
            .add("captions", DataTypes.createArrayType(DataTypes.StringType), true)
            .add("label", DataTypes.StringType, true);

    private ImageInputs() {}

    /** The images of {@code sources} (folders, shards or one table; of one kind), in one table of {@link #SCHEMA}. */
    public static Dataset<Row> read(SparkSession spark, List<String> sources) throws IOException {
        if (sources.isEmpty()) throw new IllegalArgumentException("give a folder, WebDataset shards or a table of images");
        List<String> shards = sources.stream().filter(ImageInputs::isShard).toList();
        if (!shards.isEmpty()) {
            if (shards.size() != sources.size()) throw new IllegalArgumentException("mix of WebDataset shards and other sources: give one kind");
            return shards(spark, shards);
        }
        if (sources.size() == 1 && isTable(sources.getFirst())) return table(spark, sources.getFirst());
        for (String s : sources) {
            if (isTable(s)) throw new IllegalArgumentException("a table (" + s + ") is read alone, not beside other sources");
        }
        Dataset<Row> all = null;
        for (String s : sources) {
            Dataset<Row> one = folder(spark, s);
            all = all == null ? one : all.union(one);
        }
        return all;
    }

    static boolean isShard(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.endsWith(".tar") || l.endsWith(".tar.gz") || l.endsWith(".tgz");
    }

    static boolean isTable(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.endsWith(".parquet") || l.endsWith(".csv");
    }

    /** A path as the CLI shows it: a local file's absolute path, any other URI as it is. */
    static String display(String uri) {
        if (uri.startsWith("file:")) return Path.of(URI.create(uri)).toAbsolutePath().normalize().toString();
        return uri;
    }

    private static Dataset<Row> folder(SparkSession spark, String folder) {
        boolean local = !folder.contains("://") && !folder.startsWith("file:");
        if (local && !Files.isDirectory(Path.of(folder))) throw new IllegalArgumentException(folder + " is not a folder");
        String root = local ? Path.of(folder).toAbsolutePath().normalize().toString() : folder;
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{jpg,jpeg,png,gif,bmp,JPG,JPEG,PNG,GIF,BMP}")
                .load(local ? Path.of(root).toUri().toString() : root);
        return files.map((MapFunction<Row, Row>) r -> {
            String path = display(r.getAs("path"));
            String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
            String label = parent.length() > root.length() && parent.startsWith(root) ? parent.substring(parent.lastIndexOf('/') + 1) : null;
            long mtime = ((java.sql.Timestamp) r.getAs("modificationTime")).getTime();
            return RowFactory.create(path, r.getAs("content"), (long) r.getAs("length"), mtime, null, label);
        }, Encoders.row(SCHEMA));
    }

    private static Dataset<Row> shards(SparkSession spark, List<String> shards) {
        for (String s : shards) if (!Files.isRegularFile(Path.of(s))) throw new IllegalArgumentException("shard " + s + " does not exist");
        List<String> absolute = shards.stream().map(s -> Path.of(s).toAbsolutePath().normalize().toString()).toList();
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(absolute, absolute.size()).flatMap(shard -> {
            Path file = Path.of(shard);
            long mtime = Files.getLastModifiedTime(file).toMillis();
            List<Row> out = new ArrayList<>();
            for (ImageTextSample s : WebDatasetReader.readShard(file)) {
                byte[] bytes = s.image().readEncoded();
                out.add(RowFactory.create(s.image().name(), bytes, (long) bytes.length, mtime, seq(s.captions()), null));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Dataset<Row> table(SparkSession spark, String table) {
        Path file = Path.of(table).toAbsolutePath().normalize();
        if (!Files.exists(file)) throw new IllegalArgumentException("table " + table + " does not exist");
        Dataset<Row> t = table.toLowerCase(Locale.ROOT).endsWith(".csv")
                ? spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"").csv(file.toString())
                : spark.read().parquet(file.toString());
        List<String> columns = Arrays.asList(t.columns());
        String pathColumn = columns.contains("path") ? "path" : columns.contains("image") ? "image" : null;
        if (pathColumn == null) throw new IllegalArgumentException("table " + table + " has no path or image column (columns: " + columns + ")");
        String base = file.getParent().toString();
        Dataset<Row> rows = t.withColumn("_order", monotonically_increasing_id())
                .withColumn("_path", col(pathColumn).cast("string"))
                .withColumn("_content", columns.contains("content") ? col("content") : expr("cast(null as binary)"))
                .withColumn("_caption", columns.contains("caption") ? col("caption").cast("string") : expr("cast(null as string)"))
                .withColumn("_label", columns.contains("label") ? col("label").cast("string") : expr("cast(null as string)"));
        Dataset<Row> grouped = rows.groupBy("_path").agg(min("_order").as("_order"), first("_content", true).as("content"),
                        first("_label", true).as("label"),
                        expr("transform(filter(array_sort(collect_list(struct(_order, _caption))), x -> x._caption is not null), x -> x._caption)")
                                .as("captions"))
                .orderBy("_order");
        return grouped.map((MapFunction<Row, Row>) r -> {
            String path = r.getAs("_path");
            if (path == null || path.isBlank()) throw new IllegalArgumentException("table " + table + ": a row has no path");
            String resolved = path.contains("://") || path.startsWith("/") ? path : Path.of(base).resolve(path).normalize().toString();
            byte[] content = r.getAs("content");
            List<String> captions = r.getList(r.fieldIndex("captions"));
            return RowFactory.create(resolved, content, content == null ? -1L : (long) content.length, 0L,
                    captions.isEmpty() ? null : seq(captions), r.getAs("label"));
        }, Encoders.row(SCHEMA));
    }

    /** A list as a row's array column holds it (a Scala sequence: Spark converts those whatever the path). */
    static scala.collection.Seq<String> seq(List<String> values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(new ArrayList<>(values));
    }

    /** The encoded bytes of a row: its content, or the file at its path (local or any file system Hadoop reads). */
    static byte[] bytes(Row row) throws IOException {
        byte[] content = (byte[]) row.get(CONTENT);
        if (content != null) return content;
        String path = row.getString(PATH);
        if (!path.contains("://")) {
            Path p = Path.of(path);
            if (!Files.isRegularFile(p)) throw new IOException("image " + path + " does not exist or is not a regular file");
            return Files.readAllBytes(p);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try (var in = p.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(p)) {
            return in.readAllBytes();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
