package dev.vireo.examples.cli;

import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.examples.demo.ShapesDemo;
import dev.vireo.models.train.TrainConfig;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/** {@code vireo demo}: trains a tiny CLIP on the built-in shapes world, evaluates it, writes a run folder. */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train a tiny CLIP on built-in shapes, evaluate zero-shot and retrieval, write plots (a few minutes)";
    }

    @Override
    public String usage() {
        return "vireo demo [--steps N] [--batch N] [--train-scenes N] [--test-scenes N] [--seed N] [--out DIR] [--quick]";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args args = Args.parse(argList, Set.of("quick"),
                Set.of("steps", "batch", "train-scenes", "test-scenes", "seed", "out"));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = Path.of(args.value("out", "runs/demo-" + stamp));
        ShapesDemo.Settings d = ShapesDemo.defaults(out);
        TrainConfig t = d.train();
        boolean quick = args.flag("quick");
        int steps = args.intValue("steps", quick ? 60 : t.steps());
        int batch = args.intValue("batch", t.batch());
        t = t.toBuilder().steps(steps).batch(batch).warmup(Math.min(t.warmup(), steps / 5)).seed(args.intValue("seed", 0)).outDir(out).build();
        ShapesDemo.Settings s = new ShapesDemo.Settings(d.model(), args.intValue("train-scenes", quick ? 1000 : d.trainScenes()),
                args.intValue("test-scenes", quick ? 100 : d.testScenes()), t);
        ShapesDemo.Outcome o = ShapesDemo.run(s, System.out);

        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        System.out.printf("Zero-shot on %d held-out one-shape scenes: shape %.1f%%, colour %.1f%%%n",
                s.testScenes(), 100 * o.shapeAccuracy(), 100 * o.colourAccuracy());
        print("image → text", o.retrieval().imageToText());
        print("text → image", o.retrieval().textToImage());
        System.out.println("\nRun folder: " + o.runDir().toAbsolutePath());
        System.out.println("  metrics.json, metrics.jsonl, loss.png, similarity.png, checkpoint.safetensors, config.json");
        return 0;
    }

    private static void print(String name, RetrievalMetrics.Direction d) {
        System.out.printf("Retrieval %s: R@1 %.1f%%  R@5 %.1f%%  R@10 %.1f%%  MRR %.3f  mAP %.3f  median rank %.0f%n",
                name, 100 * d.r1(), 100 * d.r5(), 100 * d.r10(), d.mrr(), d.map(), d.medianRank());
    }
}
