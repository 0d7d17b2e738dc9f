package dev.vireo.examples.cli;

import dev.vireo.examples.data.DataSpecs;
import dev.vireo.examples.data.FetchedDatasets;
import dev.vireo.examples.train.RunReports;
import dev.vireo.models.SentenceEncoder;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.LitConfig;
import dev.vireo.models.lit.LockedTextTower;
import dev.vireo.models.train.ClipTrainer;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.LitTrainer;
import dev.vireo.models.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code vireo train}: contrastive training of a CLIP model on a data spec, with checkpoints and
 * resume; {@code --model lit-minilm} trains an image tower against the locked MiniLM text tower (LiT).
 */
@Command(name = "train", description = {"train a CLIP model (AdamW, warm-up + cosine, checkpoints, exact resume, loss curve);",
        "--model lit-minilm: an image tower against the locked MiniLM text tower (LiT; needs data fetch minilm)"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run folder")
    Path out;

    @Option(names = "--model", paramLabel = "NAME|FILE.json", defaultValue = "tiny", completionCandidates = ModelNames.class,
            description = "a built-in config (${COMPLETION-CANDIDATES}) or a config file (default: ${DEFAULT-VALUE})")
    String model;

    @Mixin
    Mixins.Data data;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    Mixins.Optimisation run;

    @Option(names = "--lock-image", description = "freeze the image tower")
    boolean lockImage;

    @Option(names = "--lock-text", description = "freeze the text tower")
    boolean lockText;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "clip", completionCandidates = Losses.class, converter = Losses.class,
            description = {"${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}):",
                    "clip is CLIP's softmax InfoNCE, siglip SigLIP's pairwise sigmoid loss"})
    TrainConfig.Loss loss;

    @Option(names = "--augment", paramLabel = "NAME", defaultValue = "none", completionCandidates = Augments.class, converter = Augments.class,
            description = {"${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}), per sample, seeded by seed and step,"
                    + " cut from the images as held at the model's size:",
                    "openclip: random resized crop, scale 0.9-1;",
                    "simclr: crop 0.08-1, flip, colour jitter, greyscale (wrong for captions naming sides or colours)"})
    TrainConfig.Augment augment;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = run.config(batch, out).lockImage(lockImage).lockText(lockText).loss(loss).augment(augment).build();
        ClipTrainer.Result<?> r;
        if (LitConfig.isName(this.model)) {
            LitConfig lit = LitConfig.create(this.model);
            ImageTextData data = announce(lit.name(), lit.vision().imageSize(), cfg);
            try (SentenceEncoder minilm = FetchedDatasets.minilm(this.data.dataDir.dir)) {
                LockedTextTower tower = new LockedTextTower(minilm::encode, minilm.dimension());
                r = LitTrainer.train(lit, tower, data, cfg, RunReports.standard(System.out, run.quiet));
            }
        } else {
            ClipConfig model = ClipConfig.resolve(this.model);
            ImageTextData data = announce(model.name(), model.vision().imageSize(), cfg);
            r = ClipTrainer.train(model, data, cfg, RunReports.standard(System.out, run.quiet));
        }
        System.out.printf("done in %.1f s (%.0f samples/s), final loss %.4f%nrun folder: %s%n", r.seconds(), r.samplesPerSecond(),
                r.losses().getLast()[1], r.runDir().toAbsolutePath());
        return 0;
    }

    private ImageTextData announce(String model, int imageSize, TrainConfig cfg) throws IOException {
        ImageTextData data = this.data.load(true, imageSize);
        System.out.printf("training %s on %s (%d images) for %d steps of %d%s%n", model, this.data.spec, data.size(), cfg.steps(),
                cfg.batch() * cfg.accumulation(), cfg.augment() == TrainConfig.Augment.NONE ? "" : ", augment " + cfg.augment().id());
        return data;
    }

    /** An enum of the models module by its lower-case names: listed in the help, offered by completion, checked when parsed. */
    private abstract static class Names<E> implements Iterable<String>, ITypeConverter<E> {
        private final List<String> names;
        private final Function<String, E> parse;

        Names(List<String> names, Function<String, E> parse) {
            this.names = names;
            this.parse = parse;
        }

        @Override
        public Iterator<String> iterator() {
            return names.iterator();
        }

        @Override
        public E convert(String value) {
            if (!names.contains(value)) throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", names));
            return parse.apply(value);
        }
    }

    static final class Losses extends Names<TrainConfig.Loss> {
        Losses() {
            super(TrainConfig.Loss.ids(), TrainConfig.Loss::parse);
        }
    }

    static final class Augments extends Names<TrainConfig.Augment> {
        Augments() {
            super(TrainConfig.Augment.ids(), TrainConfig.Augment::parse);
        }
    }

    static final class ModelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.concat(ClipConfig.list().stream(), LitConfig.list().stream()).iterator();
        }
    }
}
