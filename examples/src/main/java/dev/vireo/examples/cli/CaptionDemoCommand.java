package dev.vireo.examples.cli;

import dev.vireo.examples.demo.CaptionDemo;
import dev.vireo.models.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo demo caption}: trains a small BLIP-style captioner on the shapes world and measures its greedy captions. */
@Command(name = "caption", description = {"train a small captioner (ViT + causal BERT decoder with cross-attention) on built-in shapes;",
        "measure held-out greedy captions: BLEU, ROUGE-L, CIDEr-D, objects named right (a few minutes)"})
final class CaptionDemoCommand implements Callable<Integer> {
    @Option(names = "--steps", paramLabel = "N", description = "training steps (default: 60 with --quick, else the demo's)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "batch size (default: the demo's)")
    Integer batch;

    @Option(names = "--model", paramLabel = "NAME", description = "caption config: caption-mini or a JSON file (default: caption-mini)")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "the prompt captions are trained after (default: none)")
    String prompt;

    @Option(names = "--train-scenes", paramLabel = "N", description = "training scenes (default: 1000 with --quick, else the demo's)")
    Integer trainScenes;

    @Option(names = "--test-scenes", paramLabel = "N", description = "held-out scenes (default: 50 with --quick, else the demo's)")
    Integer testScenes;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/demo-caption-TIMESTAMP)")
    Path out;

    @Option(names = "--quick", description = "a short run, to see it work")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = this.out != null ? this.out : Path.of("runs/demo-caption-" + stamp);
        CaptionDemo.Settings d = CaptionDemo.defaults(out);
        TrainConfig t = d.train();
        int steps = this.steps != null ? this.steps : quick ? 60 : t.steps();
        t = t.toBuilder().steps(steps).batch(batch != null ? batch : t.batch()).warmup(Math.min(t.warmup(), steps / 5)).seed(seed).outDir(out).build();
        CaptionDemo.Settings s = new CaptionDemo.Settings(model != null ? model : d.model(), prompt != null ? prompt : d.prompt(), trainScenes != null ? trainScenes : quick ? 1000 : d.trainScenes(),
                testScenes != null ? testScenes : quick ? 50 : d.testScenes(), d.maxNewTokens(), t);
        CaptionDemo.Outcome o = CaptionDemo.run(s, System.out);
        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        Map<String, Object> c = o.caption().toMap();
        System.out.printf("Held-out greedy captions of %d scenes: every object named right in %.1f%%%n", o.caption().captions().size(),
                100 * o.caption().objectsCorrect());
        System.out.printf("  BLEU-4 %.3f  ROUGE-L %.3f  CIDEr-D %.3f%n", c.get("Bleu_4"), c.get("ROUGE_L"), c.get("CIDEr"));
        for (int i = 0; i < Math.min(3, o.caption().captions().size()); i++) System.out.printf("  scene %d: %s%n", i, o.caption().captions().get(i).caption());
        System.out.printf("Run folder: %s (metrics.json, captions.png, loss.png)%n", o.runDir().toAbsolutePath());
        return 0;
    }
}
