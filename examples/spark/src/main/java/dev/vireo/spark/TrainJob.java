package dev.vireo.spark;

import dev.vireo.engine.distributed.Collective;
import dev.vireo.engine.distributed.RingCollective;
import dev.vireo.examples.data.DataSpecs;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.TrainListener;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code vireo spark train}: one CLIP trained by K Spark tasks in barrier mode. Each task opens a
 * socket, the addresses go round through the barrier ({@link BarrierTaskContext#allGather}), and the
 * tasks join a ring ({@link RingCollective}); then each runs the single-process trainer on its K-th of
 * every global batch, features gathered so the loss sees the whole batch and gradients summed round
 * the ring every step ({@link ClipTrainer}'s data-parallel step). Task 0 writes the run folder, whose
 * checkpoints and resume are the single-process trainer's; Spark retries the stage as a whole when a
 * task dies, and {@code --resume} takes it up from the last checkpoint.
 */
public final class TrainJob {
    /**
     * What the tasks need to build the run: all plain values, sent to each. {@code stopAt}: the step to
     * stop and checkpoint at (a run interrupted on purpose, which {@code resume} continues), normally {@code steps}.
     */
    public record Settings(String model, String data, String dataDir, int batch, int steps, int accumulation, double lr, int warmup,
                           double weightDecay, double clipNorm, long seed, int checkpointEvery, boolean resume, String loss, String augment,
                           String out, boolean progress, long stopAt) implements Serializable {
        TrainConfig config() {
            return TrainConfig.builder().steps(steps).batch(batch).accumulation(accumulation).lr(lr).warmup(warmup).weightDecay(weightDecay)
                    .clipNorm(clipNorm).seed(seed).outDir(Path.of(out)).resume(resume).checkpointEvery(checkpointEvery)
                    .loss(TrainConfig.Loss.parse(loss)).augment(TrainConfig.Augment.parse(augment)).build();
        }
    }

    /** What the run did, as task 0 saw it. */
    public record Summary(int tasks, long steps, double finalLoss, double seconds, double samplesPerSecond, String runDir) implements Serializable {}

    /** A task's outcome: task 0's summary, nothing from the others, or why a task stopped. */
    record Outcome(int rank, Summary summary, String error, boolean lostPeer) implements Serializable {}

    static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2), STEP_TIMEOUT = Duration.ofMinutes(30);

    private TrainJob() {}

    public static Summary run(SparkSession spark, int tasks, Settings settings) {
        if (tasks < 1) throw new IllegalArgumentException("train: tasks must be at least 1, got " + tasks);
        if (settings.batch() % tasks != 0) {
            throw new IllegalArgumentException("train: the global batch " + settings.batch() + " does not split into " + tasks + " equal parts");
        }
        ClipConfig.resolve(settings.model()); // an unknown model fails here, in one line
        settings.config();
        List<Integer> ranks = IntStream.range(0, tasks).boxed().toList();
        // barrier mode: all K tasks start together or not at all, and are retried together
        // A task that stops on an error reports it (Spark would only say the barrier stage failed); the others then
        // find the ring broken. A task that dies with its executor fails the stage, which Spark retries whole.
        scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Outcome>> task =
                (scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Outcome>> & Serializable) it -> {
                    int rank = BarrierTaskContext.get().partitionId();
                    try {
                        Summary s = trainTask(settings);
                        return CollectionConverters.asScala(List.of(new Outcome(rank, s, null, false)).iterator());
                    } catch (Exception e) {
                        return CollectionConverters.asScala(List.of(new Outcome(rank, null, firstLine(e), e instanceof java.io.IOException)).iterator());
                    }
                };
        List<Outcome> out = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ranks, tasks).rdd().barrier()
                .mapPartitions(task, false, ClassTag$.MODULE$.apply(Outcome.class)).toJavaRDD().collect();
        // the cause, not its echo: an error of a task's own before a peer's "ring broken"
        Outcome failed = out.stream().filter(o -> o.error() != null).min(java.util.Comparator.comparing(Outcome::lostPeer)
                .thenComparing(Outcome::rank)).orElse(null);
        if (failed != null) throw new IllegalStateException("train: task " + failed.rank() + " of " + tasks + " stopped: " + failed.error());
        return out.stream().filter(o -> o.summary() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("train: task 0 returned no summary")).summary();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static Summary trainTask(Settings s) throws Exception {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId(), size = ctx.getTaskInfos().length;
        // the data first: the ring's join timeout then only covers the tasks finding each other
        ClipConfig model = ClipConfig.resolve(s.model());
        ImageTextData data = DataSpecs.load(s.data(), true, model.vision().imageSize(), Path.of(s.dataDir()));
        String host = hostOf(ctx.getTaskInfos()[rank].address());
        ServerSocket server = RingCollective.listen(InetAddress.getByName(host));
        String[] all = ctx.allGather(host + ":" + server.getLocalPort());
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String a : all) addresses.add(new InetSocketAddress(hostOf(a), Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))));
        // a step waits for the slowest task and for task 0's checkpoints: minutes, not the join's seconds
        try (Collective ring = RingCollective.connect(rank, addresses, server, JOIN_TIMEOUT, STEP_TIMEOUT)) {
            TrainListener[] listeners = rank == 0 ? RunReports.standard(System.out, !s.progress()) : new TrainListener[0];
            ClipTrainer.Result<?> r = ClipTrainer.train(model, data, s.config(), s.stopAt(), ring, listeners);
            if (rank != 0) return null;
            double last = r.losses().isEmpty() ? Double.NaN : r.losses().getLast()[1];
            return new Summary(size, Math.min(s.steps(), s.stopAt()), last, r.seconds(), r.samplesPerSecond(), r.runDir().toAbsolutePath().toString());
        }
    }

    /** The host of "host:port" (an IPv6 literal keeps its colons). */
    static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
