package dev.vireo.examples.cli;

import dev.vireo.examples.train.RunReports;
import dev.vireo.models.caption.CaptionModel;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.coca.CocaModel;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.train.CaptionTrainer;
import dev.vireo.models.train.CocaTrainer;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.ShapesData;
import dev.vireo.models.train.ShapesQuestions;
import dev.vireo.models.train.TrainConfig;
import dev.vireo.models.train.VqaTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code vireo finetune --task vqa|caption|coca}: a fusion encoder trained to answer questions about images
 * (ViLT's classifier head, or BLIP's answer decoder with {@code --head generate}), a small BLIP-style captioner
 * trained on captioned images, or a CoCa-style model (contrastive embeddings and a captioner trained together).
 */
@Command(name = "finetune", description = {"train for a task: vqa (a fusion encoder with a classifier over the training answers on the fused [CLS],",
        "binary cross-entropy on soft scores, as ViLT; or with --head generate an answer decoder over the fused question, as BLIP),",
        "caption (ViT + causal BERT decoder, label-smoothed LM loss after the prompt, as BLIP)",
        "or coca (CoCa: attentional pooler, unimodal + multimodal causal layers; 1.0 contrastive + 2.0 caption loss);",
        "AdamW, warm-up + cosine, checkpoints, exact resume, JSONL, loss curve"})
final class FinetuneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "vqa, caption or coca")
    String task;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run folder")
    Path out;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "", description = "caption, coca: the prompt captions are trained after (default: none)")
    String prompt;

    @Option(names = "--fusion", paramLabel = "KIND", defaultValue = "mid",
            description = "early (ViLT) or mid (ALBEF): the built-in vl-KIND config (default: ${DEFAULT-VALUE})")
    String fusion;

    @Option(names = "--model", paramLabel = "FILE.json", description = "vqa: a VL config file instead of the built-in config of --fusion;"
            + " caption: caption-mini (default) or a caption config file; coca: coca-mini (default) or a coca config file")
    String model;

    @Option(names = "--from", paramLabel = "RUN", description = "vqa: start from a pretrained VL run folder (vireo pretrain: its config, weights"
            + " and vocabulary, grown by the questions' new words), or take the image tower of a captioner's run folder (finetune --task caption)")
    Path from;

    @Option(names = "--head", paramLabel = "HEAD", defaultValue = "classify",
            description = "vqa: classify (ViLT's classifier on the fused [CLS]) or generate (BLIP's answer decoder over the fused question,"
                    + " started from the captioner's decoder when --from is a caption run) (default: ${DEFAULT-VALUE})")
    String head;

    @Option(names = "--max-answers", paramLabel = "N", defaultValue = "3129",
            description = "answers the classifier chooses from: the training data's most frequent (default: ${DEFAULT-VALUE}, ViLT's for VQA v2)")
    int maxAnswers;

    @Option(names = "--questions-per-image", paramLabel = "K", defaultValue = "4",
            description = "questions asked of each image in a batch (the batch counts questions; the image tower runs once for K) (default: ${DEFAULT-VALUE})")
    int questionsPerImage;

    @Mixin
    Mixins.Data data;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    Mixins.Optimisation run;

    @Override
    public Integer call() throws Exception {
        if (task.equals("caption")) return caption();
        if (task.equals("coca")) return coca();
        if (!task.equals("vqa")) throw new ParameterException(spec.commandLine(), "--task must be vqa or caption or coca, got '" + task + "'");
        if (!fusion.equals("early") && !fusion.equals("mid")) {
            throw new ParameterException(spec.commandLine(), "--fusion must be early or mid (late fusion has no fused [CLS] to answer from), got '" + fusion + "'");
        }
        VqaTrainer.Head vqaHead;
        try {
            vqaHead = VqaTrainer.Head.parse(head);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--head must be classify or generate, got '" + head + "'");
        }
        if (maxAnswers < 1) throw new ParameterException(spec.commandLine(), "--max-answers must be at least 1, got " + maxAnswers);
        if (from != null && model != null && !CaptionRuns.isCaptionRun(from)) {
            throw new ParameterException(spec.commandLine(), "--from a VL run brings its own config: drop --model");
        }
        VlConfig named = model != null ? VlConfig.resolve(model) : VlConfig.create("vl-" + fusion);
        VqaTrainer.Start start = from == null ? VqaTrainer.Start.fresh(named)
                : CaptionRuns.isCaptionRun(from) ? VqaTrainer.Start.imageTowerOf(from, named) : VqaTrainer.Start.pretrained(from);
        VlConfig config = start.config();
        TrainConfig cfg = run.config(batch, out).build();
        ImageTextData images = data.load(true, config.vision().imageSize());
        if (!(images instanceof ShapesData shapes)) {
            throw new ParameterException(spec.commandLine(), "--data " + data.spec + " holds no questions: vqa trains on shapes[:N]");
        }
        ShapesQuestions questions = new ShapesQuestions(shapes);
        System.out.printf("training %s (%s fusion, %s head%s) to answer questions on %s (%d images) for %d steps of %d%n", config.name(), config.fusion(),
                vqaHead.label(), from != null ? ", from " + from : "",
                data.spec, questions.size(), cfg.steps(), cfg.batch() * cfg.accumulation());
        ClipTrainer.Result<?> r = vqaHead == VqaTrainer.Head.GENERATE
                ? VqaTrainer.trainGenerative(start, start.imageTowerFrom(), questions, questionsPerImage, cfg, cfg.steps(), RunReports.standard(System.out, run.quiet))
                : VqaTrainer.train(start, questions, maxAnswers, questionsPerImage, cfg, cfg.steps(), RunReports.standard(System.out, run.quiet));
        System.out.printf("done in %.1f s (%.0f samples/s), final loss %.4f%nrun folder: %s%n", r.seconds(), r.samplesPerSecond(),
                r.losses().getLast()[1], r.runDir().toAbsolutePath());
        return 0;
    }

    /** A captioner (CaptionConfig: caption-mini or --model FILE.json) trained from scratch on captioned data. */
    private int caption() throws Exception {
        if (!head.equals("classify")) throw new ParameterException(spec.commandLine(), "--head is for vqa");
        if (from != null) throw new ParameterException(spec.commandLine(), "--from is for vqa: a captioner trains from scratch");
        CaptionConfig config = CaptionConfig.resolve(model != null ? model : "caption-mini");
        TrainConfig cfg = run.config(batch, out).build();
        ImageTextData images = data.load(true, config.vision().imageSize());
        System.out.printf("training the captioner %s on %s (%d images) for %d steps of %d%n", config.name(), data.spec, images.size(), cfg.steps(),
                cfg.batch() * cfg.accumulation());
        ClipTrainer.Result<CaptionModel> r = CaptionTrainer.train(config, images, prompt, cfg, RunReports.standard(System.out, run.quiet));
        System.out.printf("done in %.1f s (%.0f samples/s), final loss %.4f%nrun folder: %s%n", r.seconds(), r.samplesPerSecond(),
                r.losses().getLast()[1], r.runDir().toAbsolutePath());
        return 0;
    }

    /** A CoCa-style model (CocaConfig: coca-mini or --model FILE.json) trained from scratch on captioned data. */
    private int coca() throws Exception {
        if (from != null) throw new ParameterException(spec.commandLine(), "--from is for vqa: a CoCa model trains from scratch");
        CocaConfig config = CocaConfig.resolve(model != null ? model : "coca-mini");
        TrainConfig cfg = run.config(batch, out).build();
        ImageTextData images = data.load(true, config.vision().imageSize());
        System.out.printf("training the CoCa model %s on %s (%d images) for %d steps of %d%n", config.name(), data.spec, images.size(), cfg.steps(),
                cfg.batch() * cfg.accumulation());
        ClipTrainer.Result<CocaModel> r = CocaTrainer.train(config, images, prompt, cfg, RunReports.standard(System.out, run.quiet));
        System.out.printf("done in %.1f s (%.0f samples/s), final loss %.4f%nrun folder: %s%n", r.seconds(), r.samplesPerSecond(),
                r.losses().getLast()[1], r.runDir().toAbsolutePath());
        return 0;
    }
}
