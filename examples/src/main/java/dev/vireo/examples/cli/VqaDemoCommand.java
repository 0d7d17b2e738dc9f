package dev.vireo.examples.cli;

import dev.vireo.examples.demo.VqaDemo;
import dev.vireo.models.train.VqaTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vireo demo vqa}: trains a mid-fusion transformer to answer the shapes world's questions
 * (a classifier, or generative answers with {@code --head generate}) and measures it per question type.
 */
@Command(name = "vqa", description = {"train a mid-fusion transformer to answer questions about built-in shapes (ViLT's classifier head, or",
        "BLIP's answer decoder with --head generate); measure held-out accuracy per question type (a few minutes)"})
final class VqaDemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Mixins.DemoRun run;

    @Option(names = "--model", paramLabel = "NAME", description = "VL config: vl-mid or vl-early, or a JSON file (default: vl-mid)")
    String model;

    @Option(names = "--head", paramLabel = "HEAD", defaultValue = "classify",
            description = "classify (ViLT's classifier on the fused [CLS]) or generate (BLIP's answer decoder, started from the captioner's) (default: ${DEFAULT-VALUE})")
    String head;

    @Override
    public Integer call() throws Exception {
        Path out = run.out("demo-vqa");
        VqaDemo.Settings d = VqaDemo.defaults(out);
        VqaDemo.Settings s = new VqaDemo.Settings(model != null ? model : d.model(), run.trainScenes(d.trainScenes()), run.testScenes(50, d.testScenes()),
                d.questionsPerImage(), run.quick ? 20 : d.captionSteps(), run.train(d.train(), out), parseHead());
        VqaDemo.Outcome o = VqaDemo.run(s, System.out);
        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        System.out.printf("Held-out questions answered right: %.1f%% of %d%n", 100 * o.vqa().overall(), o.vqa().questions());
        for (Map.Entry<String, Double> e : o.vqa().perType().entrySet()) System.out.printf("  %-9s %5.1f%%%n", e.getKey(), 100 * e.getValue());
        System.out.printf("Run folder: %s (metrics.json, examples.png, loss.png)%n", o.runDir().toAbsolutePath());
        return 0;
    }

    private VqaTrainer.Head parseHead() {
        try {
            return VqaTrainer.Head.parse(head);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--head must be classify or generate, got '" + head + "'");
        }
    }
}
