package dev.vireo.spark.cli;

import dev.vireo.examples.cli.Mixins;
import dev.vireo.examples.data.DataSpecs;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.spark.Json;
import dev.vireo.spark.TrainJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo spark train}: data-parallel CLIP training by K barrier tasks; the run folder is vireo train's. */
@Command(name = "train", description = {"data-parallel CLIP training by K barrier tasks",
        "Each task trains on its K-th of every global batch: features are gathered so the loss sees the whole batch, and",
        "gradients are summed round a ring of sockets every step. The run folder (checkpoints, --resume, metrics) is",
        "vireo train's, and the weights equal a one-process run's within float rounding."})
final class SparkTrainCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run folder (all tasks must reach it)")
    Path out;

    @Option(names = "--tasks", paramLabel = "K", defaultValue = "2", description = "barrier tasks, each a K-th of the batch (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--model", paramLabel = "NAME|FILE.json", defaultValue = "tiny", description = "a built-in CLIP config or a config file (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--data", paramLabel = "SPEC", defaultValue = "shapes", description = "a data spec as vireo train takes (default: ${DEFAULT-VALUE}); every task reads it")
    String data;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where fetched data lives (default: ${DEFAULT-VALUE})")
    Path dataDir = DataSpecs.defaultDataDir();

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "global batch size, split among the tasks (default: ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    Mixins.Optimisation run;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "clip", description = "clip or siglip (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--augment", paramLabel = "NAME", defaultValue = "none", description = "none, openclip or simclr (default: ${DEFAULT-VALUE})")
    String augment;

    @Mixin
    VireoSpark.Cluster cluster;

    @Override
    public Integer call() throws Exception {
        TrainConfig c = run.config(batch, out).build(); // vireo train's options, checked as it checks them
        TrainJob.Settings s = new TrainJob.Settings(model, data, dataDir.toAbsolutePath().toString(), batch, c.steps(), c.accumulation(), c.lr(),
                c.warmup(), c.weightDecay(), c.clipNorm(), c.seed(), c.checkpointEvery(), c.resume(), loss, augment,
                out.toAbsolutePath().normalize().toString(), !run.quiet, c.steps());
        SparkSession spark = cluster.start("train", false); // the trainer draws its own progress bar
        try {
            TrainJob.Summary r = TrainJob.run(spark, tasks, s);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("tasks", r.tasks());
            o.put("steps", r.steps());
            o.put("final_loss", r.finalLoss());
            o.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            o.put("samples_per_second", Math.round(r.samplesPerSecond() * 10) / 10.0);
            o.put("run", r.runDir());
            System.out.println(Json.write(o));
            return 0;
        } finally {
            cluster.stop(spark);
        }
    }
}
