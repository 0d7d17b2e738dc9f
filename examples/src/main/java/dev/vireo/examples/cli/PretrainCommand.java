package dev.vireo.examples.cli;

import dev.vireo.examples.train.RunReports;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VlTrainer;
import dev.vireo.models.vl.VlModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vireo pretrain}: vision-language pretraining (ITC, ITM, MLM) of an early-, mid- or late-fusion transformer. */
@Command(name = "pretrain", description = {"pretrain a vision-language transformer with ITC, ITM, MLM and MRM (early, mid or late fusion;",
        "AdamW, warm-up + cosine, checkpoints, exact resume, JSONL with each objective's loss, loss curve)"})
final class PretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run folder")
    Path out;

    @Option(names = "--fusion", paramLabel = "KIND", defaultValue = "mid",
            description = "early (ViLT), mid (ALBEF) or late (dual encoder + matching head): the built-in vl-KIND config (default: ${DEFAULT-VALUE})")
    String fusion;

    @Option(names = "--model", paramLabel = "FILE.json", description = "a VL config file instead of the built-in config of --fusion")
    String model;

    @Option(names = "--objectives", paramLabel = "LIST", description = "comma-separated itc, itm, mlm, mrm, lm (lm: BLIP's text decoder on the same layers, mid fusion; default: itc,itm,mlm,mrm; itm,mlm,mrm for early fusion)")
    String objectives;

    @Option(names = "--swap-negatives", description = "ITM also meets each caption with two of its words swapped (same words,"
            + " another binding; not in ALBEF's recipe)")
    boolean swapNegatives;

    @Option(names = "--part-phrases", description = "shapes data: a scene of two shapes is also captioned by each shape's own phrase"
            + " (\"a red circle\"), a known match of every scene holding it, as region captions are in ALBEF's data; teaches grounding")
    boolean partPhrases;

    @Option(names = "--momentum-distill", description = "ALBEF's momentum distillation: an EMA of the model (0.995) gives soft ITC and MLM"
            + " targets mixed in at alpha 0.4 (ramped up over the first epoch); ITC also reaches over queues of 1,024 momentum embeddings")
    boolean momentumDistill;

    @Option(names = "--image-tower-from", paramLabel = "CAPTION_RUN", description = "start the image tower from a captioner's run folder"
            + " (vireo finetune --task caption, the same vision config): captioning teaches it what and where each object is")
    Path imageTowerFrom;

    @Mixin
    Mixins.Data data;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    Mixins.Optimisation run;

    @Override
    public Integer call() throws Exception {
        if (!VlConfig.isName("vl-" + fusion)) throw new ParameterException(spec.commandLine(), "--fusion must be early, mid or late, got '" + fusion + "'");
        VlConfig config = model != null ? VlConfig.resolve(model) : VlConfig.create("vl-" + fusion);
        String list = objectives != null ? objectives : config.hasUnimodalEmbeddings() ? "itc,itm,mlm,mrm" : "itm,mlm,mrm";
        TrainConfig cfg = run.config(batch, out).build();
        ImageTextData images = data.load(true, config.vision().imageSize());
        if (partPhrases) {
            if (!(images instanceof ShapesData shapes)) {
                throw new ParameterException(spec.commandLine(), "--part-phrases needs the built-in shapes data (--data shapes), got '" + data.spec + "'");
            }
            images = shapes.withPartPhrases();
        }
        System.out.printf("pretraining %s (%s fusion; %s) on %s (%d images) for %d steps of %d%n", config.name(), config.fusion(), list,
                data.spec, images.size(), cfg.steps(), cfg.batch() * cfg.accumulation());
        ClipTrainer.Result<VlModel> r = VlTrainer.train(config, VlTrainer.Objectives.parse(list).withSwapNegatives(swapNegatives).withMomentumDistill(momentumDistill), images, cfg,
                cfg.steps(), imageTowerFrom, RunReports.standard(System.out, run.quiet));
        System.out.printf("done in %.1f s (%.0f samples/s), final loss %.4f%nrun folder: %s%n", r.seconds(), r.samplesPerSecond(),
                r.losses().getLast()[1], r.runDir().toAbsolutePath());
        return 0;
    }
}
