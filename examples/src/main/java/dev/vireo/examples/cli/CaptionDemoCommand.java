package dev.vireo.examples.cli;

import dev.vireo.examples.demo.CaptionDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo demo caption}: trains a small BLIP-style captioner on the shapes world and measures its greedy captions. */
@Command(name = "caption", description = {"train a small captioner (ViT + causal BERT decoder with cross-attention) on built-in shapes;",
        "measure held-out greedy captions: BLEU, ROUGE-L, CIDEr-D, objects named right (a few minutes)"})
final class CaptionDemoCommand implements Callable<Integer> {
    @Mixin
    Mixins.DemoRun run;

    @Option(names = "--model", paramLabel = "NAME", description = "caption config: caption-mini or a JSON file (default: caption-mini)")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "the prompt captions are trained after (default: none)")
    String prompt;

    @Override
    public Integer call() throws Exception {
        Path out = run.out("demo-caption");
        CaptionDemo.Settings d = CaptionDemo.defaults(out);
        CaptionDemo.Settings s = new CaptionDemo.Settings(model != null ? model : d.model(), prompt != null ? prompt : d.prompt(),
                run.trainScenes(d.trainScenes()), run.testScenes(50, d.testScenes()), d.maxNewTokens(), run.train(d.train(), out));
        CaptionDemo.Outcome o = CaptionDemo.run(s, System.out);
        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        Map<String, Object> c = o.caption().toMap();
        System.out.printf("Held-out greedy captions of %d scenes: every object named right in %.1f%%%n", o.caption().captions().size(),
                100 * o.caption().objectsCorrect());
        System.out.printf("  BLEU-4 %.3f  ROUGE-L %.3f  CIDEr-D %.3f%n", c.get("Bleu_4"), c.get("ROUGE_L"), c.get("CIDEr"));
        for (int i = 0; i < Math.min(3, o.caption().captions().size()); i++) System.out.printf("  scene %d: %s%n", i, o.caption().captions().get(i).caption());
        System.out.printf("Grounding each shape by its phrase from the decoder's cross-attention: %.1f%% at IoU >= 0.5 (mean IoU %.2f)%n",
                100 * o.grounding().accuracy(), o.grounding().meanIou());
        System.out.printf("Run folder: %s (metrics.json, captions.png, loss.png)%n", o.runDir().toAbsolutePath());
        return 0;
    }
}
