package dev.vireo.spark.cli;

import dev.vireo.spark.EmbedJob;
import dev.vireo.spark.ImageInputs;
import dev.vireo.spark.Json;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vireo spark embed}: image features of a folder, WebDataset shards or a table, as Parquet. */
@Command(name = "embed", description = {"image features of a folder, WebDataset shards or a table, as Parquet",
        "SOURCE: a folder (labels from its subfolders), WebDataset shards (.tar) or a table (.parquet/.csv: path or image,",
        "optional content, caption, label). Writes OUT/embeddings (the features equal vireo embed's) and OUT/rejects",
        "(images that could not be read, with why)."})
final class SparkEmbedCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SOURCE", arity = "1..*", description = "a folder, shards or one table")
    List<String> sources;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
            description = "a Hugging Face CLIP folder, an open_clip .safetensors file (with --config) or a Vireo run folder")
    Path model;

    @Option(names = "--config", paramLabel = "NAME", description = "the open_clip config of a .safetensors file, e.g. ViT-B-32")
    String config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where embeddings/ and rejects/ go (must not hold them yet)")
    Path out;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "images encoded at once per task (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0", description = "repartition the images first (default: as read)")
    int partitions;

    @Mixin
    VireoSpark.Cluster cluster;

    @Mixin
    VireoSpark.Quiet quiet;

    @Override
    public Integer call() throws Exception {
        SparkSession spark = cluster.start("embed", !quiet.quiet);
        try {
            EmbedJob.Summary s = EmbedJob.run(spark, ImageInputs.read(spark, sources),
                    new EmbedJob.Options(model.toString(), config, batch, partitions, -1), out);
            System.out.println(Json.write(s.toMap()));
            if (s.rejected() > 0) System.err.println("vireo spark embed: " + s.rejected() + " images could not be read: see " + out.resolve(EmbedJob.REJECTS));
            return 0;
        } finally {
            cluster.stop(spark);
        }
    }
}
