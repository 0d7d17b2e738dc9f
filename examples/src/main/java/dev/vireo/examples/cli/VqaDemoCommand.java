package dev.vireo.examples.cli;

import dev.vireo.examples.demo.VqaDemo;
import dev.vireo.models.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vireo demo vqa}: trains a mid-fusion transformer to answer the shapes world's questions and measures it per question type. */
@Command(name = "vqa", description = {"train a mid-fusion transformer to answer questions about built-in shapes (ViLT's classifier head);",
        "measure held-out accuracy per question type (a few minutes)"})
final class VqaDemoCommand implements Callable<Integer> {
    @Option(names = "--steps", paramLabel = "N", description = "training steps (default: 60 with --quick, else the demo's)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "batch size (default: the demo's)")
    Integer batch;

    @Option(names = "--model", paramLabel = "NAME", description = "VL config: vl-mid or vl-early, or a JSON file (default: vl-mid)")
    String model;

    @Option(names = "--train-scenes", paramLabel = "N", description = "training scenes (default: 1000 with --quick, else the demo's)")
    Integer trainScenes;

    @Option(names = "--test-scenes", paramLabel = "N", description = "held-out scenes (default: 50 with --quick, else the demo's)")
    Integer testScenes;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/demo-vqa-TIMESTAMP)")
    Path out;

    @Option(names = "--quick", description = "a short run, to see it work")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = this.out != null ? this.out : Path.of("runs/demo-vqa-" + stamp);
        VqaDemo.Settings d = VqaDemo.defaults(out);
        TrainConfig t = d.train();
        int steps = this.steps != null ? this.steps : quick ? 60 : t.steps();
        t = t.toBuilder().steps(steps).batch(batch != null ? batch : t.batch()).warmup(Math.min(t.warmup(), steps / 5)).seed(seed).outDir(out).build();
        VqaDemo.Settings s = new VqaDemo.Settings(model != null ? model : d.model(), trainScenes != null ? trainScenes : quick ? 1000 : d.trainScenes(),
                testScenes != null ? testScenes : quick ? 50 : d.testScenes(), d.questionsPerImage(), t);
        VqaDemo.Outcome o = VqaDemo.run(s, System.out);
        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        System.out.printf("Held-out questions answered right: %.1f%% of %d%n", 100 * o.vqa().overall(), o.vqa().questions());
        for (Map.Entry<String, Double> e : o.vqa().perType().entrySet()) System.out.printf("  %-9s %5.1f%%%n", e.getKey(), 100 * e.getValue());
        System.out.printf("Run folder: %s (metrics.json, examples.png, loss.png)%n", o.runDir().toAbsolutePath());
        return 0;
    }
}
