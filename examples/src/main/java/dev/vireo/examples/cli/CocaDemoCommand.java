package dev.vireo.examples.cli;

import dev.vireo.examples.demo.CocaDemo;
import dev.vireo.models.eval.RetrievalMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo demo coca}: trains a small CoCa-style model on the shapes world; measures its greedy captions, retrieval and zero-shot. */
@Command(name = "coca", description = {"train a small CoCa-style model (contrastive embeddings and a captioner together, attentional pooling)",
        "on built-in shapes; measure held-out greedy captions (BLEU, ROUGE-L, CIDEr-D, objects named right), retrieval R@K",
        "both ways and zero-shot shape and colour (a few minutes)"})
final class CocaDemoCommand implements Callable<Integer> {
    @Mixin
    Mixins.DemoRun run;

    @Option(names = "--model", paramLabel = "NAME", description = "coca config: coca-mini or a JSON file (default: coca-mini)")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "the prompt captions are trained after (default: none)")
    String prompt;

    @Override
    public Integer call() throws Exception {
        Path out = run.out("demo-coca");
        CocaDemo.Settings d = CocaDemo.defaults(out);
        CocaDemo.Settings s = new CocaDemo.Settings(model != null ? model : d.model(), prompt != null ? prompt : d.prompt(),
                run.trainScenes(d.trainScenes()), run.testScenes(50, d.testScenes()), d.maxNewTokens(), run.train(d.train(), out));
        CocaDemo.Outcome o = CocaDemo.run(s, System.out);
        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        Map<String, Object> c = o.caption().toMap();
        System.out.printf("Held-out greedy captions of %d scenes: every object named right in %.1f%%%n", o.caption().captions().size(),
                100 * o.caption().objectsCorrect());
        System.out.printf("  BLEU-4 %.3f  ROUGE-L %.3f  CIDEr-D %.3f%n", c.get("Bleu_4"), c.get("ROUGE_L"), c.get("CIDEr"));
        for (int i = 0; i < Math.min(3, o.caption().captions().size()); i++) System.out.printf("  scene %d: %s%n", i, o.caption().captions().get(i).caption());
        print("image → text", o.retrieval().imageToText());
        print("text → image", o.retrieval().textToImage());
        System.out.printf("Zero-shot on held-out one-shape scenes: shape %.1f%%, colour %.1f%%%n", 100 * o.shapeAccuracy(), 100 * o.colourAccuracy());
        System.out.printf("Run folder: %s (metrics.json, captions.png, loss.png)%n", o.runDir().toAbsolutePath());
        return 0;
    }

    private static void print(String name, RetrievalMetrics.Direction d) {
        System.out.printf("Retrieval %s: R@1 %.1f%%  R@5 %.1f%%  R@10 %.1f%%  MRR %.3f%n", name, 100 * d.r1(), 100 * d.r5(), 100 * d.r10(), d.mrr());
    }
}
