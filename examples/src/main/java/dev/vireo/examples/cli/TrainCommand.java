package dev.vireo.examples.cli;

import dev.vireo.examples.train.RunReports;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.examples.data.DataSpecs;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.TrainConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code vireo train}: contrastive training of a CLIP model on a data spec, with checkpoints and resume. */
final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a CLIP model (AdamW, warm-up + cosine, checkpoints, exact resume, loss curve)";
    }

    @Override
    public String usage() {
        return """
                vireo train --out DIR [--model tiny|small|ViT-B-32|FILE.json] [--data shapes[:N]|fashion-mnist[:N]|mnist[:N]]
                            [--steps N] [--batch N] [--accum N] [--lr X] [--warmup N] [--wd X] [--clip X] [--seed N]
                            [--checkpoint-every N] [--resume] [--lock-image] [--lock-text] [--loss clip|siglip]
                            [--augment none|openclip|simclr] [--data-dir DIR]
                data: shapes[:N], fashion-mnist[:N], mnist[:N], skimage-photos, csv:TABLE.csv[:ROOT],
                      coco:CAPTIONS.json:IMAGES, karpathy:DATASET.json:ROOT, wds:SHARD.tar[,...], folder:DIR
                augment (each sample, seeded by seed and step; taken from the images as held, at the model's size):
                      none (default), openclip (random resized crop, scale 0.9-1),
                      simclr (crop 0.08-1, flip, colour jitter, greyscale: wrong for captions naming sides or colours)""";
    }

    @Override
    public int run(List<String> argList) throws Exception {
        Args a = Args.parse(argList, Set.of("resume", "lock-image", "lock-text", "quiet"),
                Set.of("out", "model", "data", "steps", "batch", "accum", "lr", "warmup", "wd", "clip", "seed", "checkpoint-every", "data-dir", "loss",
                        "augment"));
        if (!a.positional().isEmpty()) throw new UsageException("unexpected argument " + a.positional().getFirst());
        String out = a.value("out", null);
        if (out == null) throw new UsageException("--out DIR is required (the run folder)");
        ClipConfig model = ClipConfig.resolve(a.value("model", "tiny"));
        int steps = a.intValue("steps", 1000);
        TrainConfig cfg = TrainConfig.builder().steps(steps).batch(a.intValue("batch", 128)).accumulation(a.intValue("accum", 1))
                .lr(a.doubleValue("lr", 1e-3)).warmup(a.intValue("warmup", Math.min(100, steps / 10))).weightDecay(a.doubleValue("wd", 0.1))
                .clipNorm(a.doubleValue("clip", 1.0)).seed(a.intValue("seed", 0)).outDir(Path.of(out)).resume(a.flag("resume"))
                .checkpointEvery(a.intValue("checkpoint-every", 500)).lockImage(a.flag("lock-image")).lockText(a.flag("lock-text"))
                .loss(TrainConfig.Loss.parse(a.value("loss", "clip"))).augment(TrainConfig.Augment.parse(a.value("augment", "none"))).build();
        Path dataDir = Path.of(a.value("data-dir", DataSpecs.defaultDataDir().toString()));
        ImageTextData data = DataSpecs.load(a.value("data", "shapes"), true, model.vision().imageSize(), dataDir);
        System.out.printf("training %s on %s (%d images) for %d steps of %d%s%n", model.name(), a.value("data", "shapes"),
                data.size(), steps, cfg.batch() * cfg.accumulation(), cfg.augment() == TrainConfig.Augment.NONE ? "" : ", augment " + cfg.augment().id());
        ClipTrainer.Result r = ClipTrainer.train(model, data, cfg, RunReports.standard(System.out, a.flag("quiet")));
        System.out.printf("done in %.1f s (%.0f samples/s), final loss %.4f%nrun folder: %s%n", r.seconds(), r.samplesPerSecond(),
                r.losses().getLast()[1], r.runDir().toAbsolutePath());
        return 0;
    }
}
