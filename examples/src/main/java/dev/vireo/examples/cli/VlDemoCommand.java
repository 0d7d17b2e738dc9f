package dev.vireo.examples.cli;

import dev.vireo.examples.demo.VlDemo;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.eval.RetrievalMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vireo demo vl}: pretrains a mid-fusion vision-language transformer on the shapes world and measures it. */
@Command(name = "vl", description = {"pretrain a mid-fusion vision-language transformer (ITC, ITM, MLM, LM; MRM when asked) on built-in shapes",
        "from a captioner's image tower; measure matching, masked words, retrieval re-ranked by ITM, grounding, compositional pairs (about 7 minutes)"})
final class VlDemoCommand implements Callable<Integer> {
    @Mixin
    Mixins.DemoRun run;

    @Option(names = "--model", paramLabel = "NAME", description = "VL config: vl-mid, vl-late or vl-early, or a JSON file (default: vl-mid)")
    String model;

    @Option(names = "--objectives", paramLabel = "LIST", description = "comma-separated: itc, itm, mlm, mrm, lm (lm also scores greedy captions; default: itc,itm,mlm,lm; late fusion"
            + " itc,itm,mlm; early fusion itm,mlm)")
    String objectives;

    @Option(names = "--image-tower-from", paramLabel = "CAPTION_RUN", description = "start the image tower from a captioner's run folder"
            + " (vireo demo caption): binding follows (see the README)")
    Path imageTowerFrom;

    @Option(names = "--caption-steps", paramLabel = "N", description = "train a captioner for N steps first (into caption/) and start the"
            + " image tower from it (see the README); default: " + VlDemo.CAPTION_STEPS + " (60 with --quick; 0 for early fusion, whose"
            + " image side is the patch embedding alone); 0: a fresh tower")
    Integer captionSteps;

    @Option(names = "--swap-negatives", description = "ITM also meets each caption with two words of one kind swapped (see pretrain)")
    boolean swapNegatives;

    @Option(names = "--part-phrases", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "scenes of two shapes are also captioned by each shape's phrase, as pretrain --part-phrases (default: on; what teaches grounding)")
    boolean partPhrases;

    @Override
    public Integer call() throws Exception {
        Path out = run.out("demo-vl");
        VlDemo.Settings d = VlDemo.defaults(out);
        String configName = model != null ? model : d.model();
        VlConfig config = VlConfig.resolve(configName);
        VlDemo.Settings s = new VlDemo.Settings(configName, objectives != null ? objectives : VlDemo.defaultObjectives(config), swapNegatives || d.swapNegatives(),
                partPhrases,
                run.trainScenes(d.trainScenes()), run.testScenes(100, d.testScenes()), d.rerankK(), run.quick ? 100 : d.compositionalItems(),
                run.quick ? 60 : d.clipSteps(), captionSteps != null ? captionSteps : !VlDemo.captionerFits(config) ? 0 : run.quick ? 60 : d.captionSteps(),
                run.train(d.train(), out), imageTowerFrom);
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
            System.out.printf("Grounding each shape of %d held-out scenes by its phrase: %.1f%% at IoU >= 0.5 (mean IoU %.2f; %s, chosen on"
                    + " other held-out scenes: grounding.json)%n", s.testScenes(), 100 * o.grounding().accuracy(), o.grounding().meanIou(),
                    o.groundingSettings());
        }
        if (o.decoderGrounding() != null) {
            System.out.printf("  and from the text decoder's cross-attention: %.1f%% (mean IoU %.2f)%n", 100 * o.decoderGrounding().accuracy(),
                    o.decoderGrounding().meanIou());
        }
        if (o.caption() != null) {
            System.out.printf("Greedy captions of the text decoder (lm) on %d held-out scenes: objects named right %.1f%%, BLEU-4 %.3f, CIDEr-D %.2f%n",
                    s.testScenes(), 100 * o.caption().objectsCorrect(), o.caption().metrics().get("Bleu_4"), o.caption().metrics().get("CIDEr"));
        }
        System.out.printf("Compositional pairs (Winoground scores: text / image / group):%n");
        o.compositional().forEach((name, b) -> System.out.printf("  %-7s %5.1f%% / %5.1f%% / %5.1f%%%n", name, 100 * b.all().text(),
                100 * b.all().image(), 100 * b.all().group()));
        System.out.println("\nRun folder: " + o.runDir().toAbsolutePath());
        System.out.println("  metrics.json, metrics.jsonl, loss.png, " + (o.grounding() != null ? "attention.png, gradcam.png, grounding.json, " : "")
                + "checkpoint.safetensors, config.json,"); // late fusion has no fusion layer to explain
        System.out.println("  vocab.txt, data.json; clip/ (the baseline)");
        return 0;
    }

    private static void print(String name, RetrievalMetrics.Direction d) {
        System.out.printf("Retrieval %-32s R@1 %5.1f%%  R@5 %5.1f%%  R@10 %5.1f%%%n", name + ":", 100 * d.r1(), 100 * d.r5(), 100 * d.r10());
    }
}
