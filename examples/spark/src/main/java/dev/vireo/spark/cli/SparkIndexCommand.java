package dev.vireo.spark.cli;

import dev.vireo.spark.EmbedJob;
import dev.vireo.spark.IndexJob;
import dev.vireo.spark.Json;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo spark index}: a search index of {@code vireo spark embed}'s table, a shard per partition. */
@Command(name = "index", description = {"a search index of vireo spark embed's embeddings, a shard per partition",
        "One Lucene shard per partition, written in parallel; vireo search and vireo serve search them together."})
final class SparkIndexCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EMBEDDINGS", description = "vireo spark embed's --out folder, or its embeddings/ table")
    Path embeddings;

    @Option(names = "--out", required = true, paramLabel = "INDEX", description = "the index folder (new or empty)")
    Path out;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "4", description = "shards, written in parallel (default: ${DEFAULT-VALUE})")
    int shards;

    @Mixin
    VireoSpark.Cluster cluster;

    @Mixin
    VireoSpark.Quiet quiet;

    @Override
    public Integer call() throws Exception {
        Path table = EmbedJob.table(embeddings);
        SparkSession spark = cluster.start("index", !quiet.quiet);
        try {
            IndexJob.Summary s = IndexJob.run(spark.read().parquet(table.toString()), shards, out);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("index", out.toAbsolutePath().normalize().toString());
            o.put("shards", s.shards().size());
            o.put("images", s.images());
            o.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
            System.out.println(Json.write(o));
            return 0;
        } finally {
            cluster.stop(spark);
        }
    }
}
