package dev.vireo.spark.cli;

import dev.vireo.examples.data.DataSpecs;
import dev.vireo.spark.EmbedJob;
import dev.vireo.spark.EvalJob;
import dev.vireo.spark.Json;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo spark eval}: zero-shot accuracy and retrieval metrics over {@code vireo spark embed}'s table. */
@Command(name = "eval", description = {"zero-shot accuracy and retrieval metrics over vireo spark embed's embeddings",
        "Zero-shot top-1/top-5 for rows with labels, retrieval R@K, MRR, mAP both ways for rows with captions: the",
        "figures vireo eval gives on the same images."})
final class SparkEvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EMBEDDINGS", description = "vireo spark embed's --out folder, or its embeddings/ table")
    Path embeddings;

    @Option(names = "--model", paramLabel = "DIR|FILE", description = "the model whose text tower embeds prompts and captions (default: the table's)")
    Path model;

    @Option(names = "--config", paramLabel = "NAME", description = "the open_clip config of a .safetensors model file")
    String config;

    @Option(names = "--template", paramLabel = "TEXT", description = "a zero-shot prompt template, {} for the class (repeatable; default: \"a photo of a {}\")")
    List<String> templates = new ArrayList<>();

    @Mixin
    VireoSpark.Cluster cluster;

    @Mixin
    VireoSpark.Quiet quiet;

    @Override
    public Integer call() throws Exception {
        Path table = EmbedJob.table(embeddings);
        SparkSession spark = cluster.start("eval", !quiet.quiet);
        try {
            Map<String, Object> out = EvalJob.run(spark, spark.read().parquet(table.toString()), model == null ? null : model.toString(), config,
                    templates.isEmpty() ? DataSpecs.CAPTION_TEMPLATES : templates);
            System.out.println(Json.write(out));
            return 0;
        } finally {
            cluster.stop(spark);
        }
    }
}
