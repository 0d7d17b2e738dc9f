package dev.vireo.examples.cli;

import dev.vireo.examples.demo.ShapesDemo;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code vireo demo}: trains a tiny CLIP on the built-in shapes world, evaluates it, writes a run folder; {@code vireo demo lit} is {@link LitDemoCommand}. */
@Command(name = "demo", subcommands = {LitDemoCommand.class, VlDemoCommand.class, VqaDemoCommand.class, CaptionDemoCommand.class},
        description = {"train a tiny CLIP on built-in shapes, evaluate zero-shot and retrieval, write plots (a few minutes);",
                "demo lit: locked-text training (LiT) on Fashion-MNIST; demo vl: a vision-language transformer on shapes"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--steps", paramLabel = "N", description = "training steps (default: 60 with --quick, else the demo's)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "batch size (default: the demo's)")
    Integer batch;

    @Option(names = "--train-scenes", paramLabel = "N", description = "training scenes (default: 1000 with --quick, else the demo's)")
    Integer trainScenes;

    @Option(names = "--test-scenes", paramLabel = "N", description = "held-out scenes (default: 100 with --quick, else the demo's)")
    Integer testScenes;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/demo-TIMESTAMP)")
    Path out;

    @Option(names = "--quick", description = "a short run, to see it work")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = this.out != null ? this.out : Path.of("runs/demo-" + stamp);
        ShapesDemo.Settings d = ShapesDemo.defaults(out);
        TrainConfig t = d.train();
        int steps = or(this.steps, quick ? 60 : t.steps());
        int batch = or(this.batch, t.batch());
        t = t.toBuilder().steps(steps).batch(batch).warmup(Math.min(t.warmup(), steps / 5)).seed(seed).outDir(out).build();
        ShapesDemo.Settings s = new ShapesDemo.Settings(d.model(), or(trainScenes, quick ? 1000 : d.trainScenes()),
                or(testScenes, quick ? 100 : d.testScenes()), t);
        ShapesDemo.Outcome o = ShapesDemo.run(s, System.out);

        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        System.out.printf("Zero-shot on %d held-out one-shape scenes: shape %.1f%%, colour %.1f%%%n",
                s.testScenes(), 100 * o.shapeAccuracy(), 100 * o.colourAccuracy());
        print("image → text", o.retrieval().imageToText());
        print("text → image", o.retrieval().textToImage());
        System.out.println("\nRun folder: " + o.runDir().toAbsolutePath());
        System.out.println("  metrics.json, metrics.jsonl, loss.png, similarity.png, checkpoint.safetensors, config.json, data.json");
        return 0;
    }

    private static int or(Integer given, int fallback) {
        return given != null ? given : fallback;
    }

    private static void print(String name, RetrievalMetrics.Direction d) {
        System.out.printf("Retrieval %s: R@1 %.1f%%  R@5 %.1f%%  R@10 %.1f%%  MRR %.3f  mAP %.3f  median rank %.0f%n",
                name, 100 * d.r1(), 100 * d.r5(), 100 * d.r10(), d.mrr(), d.map(), d.medianRank());
    }
}
