package dev.vireo.examples.cli;

import dev.vireo.examples.demo.ShapesDemo;
import dev.vireo.models.eval.RetrievalMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vireo demo}: trains a tiny CLIP on the built-in shapes world, evaluates it, writes a run folder; {@code vireo demo lit} is {@link LitDemoCommand}. */
@Command(name = "demo", subcommands = {LitDemoCommand.class, VlDemoCommand.class, VqaDemoCommand.class, CaptionDemoCommand.class, CocaDemoCommand.class},
        description = {"train a tiny CLIP on built-in shapes, evaluate zero-shot and retrieval, write plots (a few minutes);",
                "demo lit: locked-text training (LiT) on Fashion-MNIST; demo vl: a vision-language transformer on shapes"})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    Mixins.DemoRun run;

    @Override
    public Integer call() throws Exception {
        Path out = run.out("demo");
        ShapesDemo.Settings d = ShapesDemo.defaults(out);
        ShapesDemo.Settings s = new ShapesDemo.Settings(d.model(), run.trainScenes(d.trainScenes()), run.testScenes(100, d.testScenes()),
                run.train(d.train(), out));
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

    private static void print(String name, RetrievalMetrics.Direction d) {
        System.out.printf("Retrieval %s: R@1 %.1f%%  R@5 %.1f%%  R@10 %.1f%%  MRR %.3f  mAP %.3f  median rank %.0f%n",
                name, 100 * d.r1(), 100 * d.r5(), 100 * d.r10(), d.mrr(), d.map(), d.medianRank());
    }
}
