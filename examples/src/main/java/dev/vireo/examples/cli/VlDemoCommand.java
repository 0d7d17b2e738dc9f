package dev.vireo.examples.cli;

import dev.vireo.examples.demo.VlDemo;
import dev.vireo.models.eval.RetrievalMetrics;
import dev.vireo.models.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code vireo demo vl}: pretrains a mid-fusion vision-language transformer on the shapes world and measures it. */
@Command(name = "vl", description = {"pretrain a mid-fusion vision-language transformer (ITC, ITM, MLM; MRM when asked) on built-in shapes;",
        "measure matching, masked words and retrieval re-ranked by ITM (a few minutes)"})
final class VlDemoCommand implements Callable<Integer> {
    @Option(names = "--steps", paramLabel = "N", description = "training steps (default: 60 with --quick, else the demo's)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "N", description = "batch size (default: the demo's)")
    Integer batch;

    @Option(names = "--model", paramLabel = "NAME", description = "VL config: vl-mid, vl-late or vl-early, or a JSON file (default: vl-mid)")
    String model;

    @Option(names = "--objectives", paramLabel = "LIST", description = "comma-separated: itc, itm, mlm, mrm (default: itc,itm,mlm)")
    String objectives;

    @Option(names = "--swap-negatives", description = "ITM also meets each caption with two words of one kind swapped (see pretrain)")
    boolean swapNegatives;

    @Option(names = "--train-scenes", paramLabel = "N", description = "training scenes (default: 1000 with --quick, else the demo's)")
    Integer trainScenes;

    @Option(names = "--test-scenes", paramLabel = "N", description = "held-out scenes (default: 100 with --quick, else the demo's)")
    Integer testScenes;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/demo-vl-TIMESTAMP)")
    Path out;

    @Option(names = "--quick", description = "a short run, to see it work")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = this.out != null ? this.out : Path.of("runs/demo-vl-" + stamp);
        VlDemo.Settings d = VlDemo.defaults(out);
        TrainConfig t = d.train();
        int steps = this.steps != null ? this.steps : quick ? 60 : t.steps();
        t = t.toBuilder().steps(steps).batch(batch != null ? batch : t.batch()).warmup(Math.min(t.warmup(), steps / 5)).seed(seed)
                .outDir(out).build();
        VlDemo.Settings s = new VlDemo.Settings(model != null ? model : d.model(), objectives != null ? objectives : d.objectives(), swapNegatives || d.swapNegatives(),
                trainScenes != null ? trainScenes : quick ? 1000 : d.trainScenes(), testScenes != null ? testScenes : quick ? 100 : d.testScenes(),
                d.rerankK(), quick ? 100 : d.compositionalItems(), quick ? 60 : d.clipSteps(), t);
        VlDemo.Outcome o = VlDemo.run(s, System.out);
        System.out.printf("%nTrained in %.1f s (%.0f samples/s).%n", o.trainSeconds(), o.samplesPerSecond());
        System.out.printf("Image-text matching on %d held-out pairs (half hard negatives): %.1f%%%n", o.matching().pairs(),
                100 * o.matching().accuracy());
        System.out.printf("Masked words with the image in view: colours %.1f%%, shapes %.1f%%%n", 100 * o.maskedWords().get("colour"),
                100 * o.maskedWords().get("shape"));
        if (o.regions() != null) {
            System.out.printf("Masked patches: colour bin %.1f%%, region %.1f%% (on shapes %.1f%%)%n", 100 * o.regions().colourAccuracy(),
                    100 * o.regions().regionAccuracy(), 100 * o.regions().shapeRegionAccuracy());
        }
        if (o.retrieval() != null) {
            print("text → image, ITC", o.retrieval().itc().textToImage());
            print("text → image, ITC + ITM re-rank", o.retrieval().itcItmRerank().textToImage());
            print("image → text, ITC", o.retrieval().itc().imageToText());
            print("image → text, ITC + ITM re-rank", o.retrieval().itcItmRerank().imageToText());
        }
        if (o.grounding() != null) {
            System.out.printf("Grounding each shape of %d held-out scenes by its phrase: %.1f%% at IoU >= 0.5 (mean IoU %.2f)%n",
                    s.testScenes(), 100 * o.grounding().accuracy(), o.grounding().meanIou());
        }
        System.out.printf("Compositional pairs (Winoground scores: text / image / group):%n");
        o.compositional().forEach((name, b) -> System.out.printf("  %-7s %5.1f%% / %5.1f%% / %5.1f%%%n", name, 100 * b.all().text(),
                100 * b.all().image(), 100 * b.all().group()));
        System.out.println("\nRun folder: " + o.runDir().toAbsolutePath());
        System.out.println("  metrics.json, metrics.jsonl, loss.png, attention.png, gradcam.png, checkpoint.safetensors, config.json, vocab.txt,");
        System.out.println("  data.json; clip/ (the baseline)");
        return 0;
    }

    private static void print(String name, RetrievalMetrics.Direction d) {
        System.out.printf("Retrieval %-32s R@1 %5.1f%%  R@5 %5.1f%%  R@10 %5.1f%%%n", name + ":", 100 * d.r1(), 100 * d.r5(), 100 * d.r10());
    }
}
