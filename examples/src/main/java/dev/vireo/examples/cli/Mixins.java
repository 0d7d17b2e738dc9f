package dev.vireo.examples.cli;

import dev.vireo.examples.data.DataSpecs;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.models.Clip;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.TrainConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;

/** Options that several commands share, declared once. */
public final class Mixins {
    private Mixins() {}

    /** The run options of the shapes-world demos: steps, batch, scenes, seed, run folder, --quick. */
    static final class DemoRun {
        @Option(names = "--steps", paramLabel = "N", description = "training steps (default: 60 with --quick, else the demo's)")
        Integer steps;

        @Option(names = "--batch", paramLabel = "N", description = "batch size (default: the demo's)")
        Integer batch;

        @Option(names = "--train-scenes", paramLabel = "N", description = "training scenes (default: 1000 with --quick, else the demo's)")
        Integer trainScenes;

        @Option(names = "--test-scenes", paramLabel = "N", description = "held-out scenes (default: fewer with --quick, else the demo's)")
        Integer testScenes;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
        int seed;

        @Option(names = "--out", paramLabel = "DIR", description = "the run folder (default: runs/<demo>-TIMESTAMP)")
        Path out;

        @Option(names = "--quick", description = "a short run, to see it work")
        boolean quick;

        /** The run folder: --out, or runs/{@code name}-TIMESTAMP. */
        Path out(String name) {
            if (out != null) return out;
            return Path.of("runs/" + name + "-" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }

        /** The demo's trainer settings with these steps (60 with --quick), batch, seed and run folder; warm-up at most a fifth of the steps. */
        TrainConfig train(TrainConfig defaults, Path out) {
            int n = steps != null ? steps : quick ? 60 : defaults.steps();
            return defaults.toBuilder().steps(n).batch(batch != null ? batch : defaults.batch()).warmup(Math.min(defaults.warmup(), n / 5))
                    .seed(seed).outDir(out).build();
        }

        /** Training scenes: --train-scenes, or 1000 with --quick, or the demo's. */
        int trainScenes(int demo) {
            return trainScenes != null ? trainScenes : quick ? 1000 : demo;
        }

        /** Held-out scenes: --test-scenes, or {@code quick} with --quick, or the demo's. */
        int testScenes(int quick, int demo) {
            return testScenes != null ? testScenes : this.quick ? quick : demo;
        }
    }

    /** {@code --data-dir}: where fetched data lives. */
    static final class DataDir {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "where fetched data lives (default: ${DEFAULT-VALUE}, set by the vireo.dataDir property)")
        Path dir = DataSpecs.defaultDataDir();
    }

    /** {@code --data SPEC} and {@code --data-dir}: the data a command trains or evaluates on. */
    static final class Data {
        @Option(names = "--data", paramLabel = "SPEC", defaultValue = "shapes", completionCandidates = DataSpecNames.class,
                description = {"the data (default: ${DEFAULT-VALUE}), one of:", "${COMPLETION-CANDIDATES}"})
        String spec;

        @Mixin
        DataDir dataDir;

        /** The training ({@code train = true}) or held-out split, at the model's image size. */
        ImageTextData load(boolean train, int imageSize) throws IOException {
            return DataSpecs.load(spec, train, imageSize, dataDir.dir);
        }
    }

    /** {@code --model} and {@code --config}: any model {@link Clip#load} reads. */
    static final class Model {
        @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
                description = "a Hugging Face CLIP folder, an open_clip .safetensors file (with --config) or a Vireo run folder")
        Path path;

        @Option(names = "--config", paramLabel = "NAME", description = "the open_clip config of a .safetensors file, e.g. ViT-B-32")
        String config;

        Clip load() throws IOException {
            return Clip.load(path, config);
        }

        /** On the named backend ({@code --backend}); null: the process-wide one. */
        Clip load(Backend backend) throws IOException {
            return Clip.load(path, new Clip.Options(config, backend.name));
        }
    }

    /** {@code --backend}: which compute provider the model's forward passes run on. */
    static final class Backend {
        @Option(names = "--backend", paramLabel = "NAME",
                description = "the compute backend: cpu (default) or tornado (TornadoVM, where bin/vireo finds TORNADOVM_HOME; `vireo info` lists those found)")
        String name;

        /** Runs {@code work} with its ops on the named provider (a one-line error when it is unknown or cannot run here). */
        <T> T run(Callable<T> work) throws Exception {
            if (name == null) return work.call();
            return ComputeProvider.using(ComputeProvider.named(name), work::call);
        }
    }

    /**
     * The optimisation and run options of {@code train} and {@code pretrain} (not the batch, whose
     * default each sets): steps, accumulation, the schedule, AdamW's decay, clipping, the seed,
     * checkpoints, resume and the progress bar.
     */
    public static final class Optimisation {
        @Option(names = "--steps", paramLabel = "N", defaultValue = "1000", description = "optimiser steps (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--accum", paramLabel = "N", defaultValue = "1", description = "batches accumulated per step; contrastive"
                + " training (train) trains them as one batch of N × --batch, so the loss sees all of the step's pairs (open_clip's"
                + " feature caching, about a third more encoder work); pretrain averages their losses (default: ${DEFAULT-VALUE})")
        int accum;

        @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-3", description = "peak learning rate (default: ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--warmup", paramLabel = "N", description = "warm-up steps (default: min(100, steps / 10))")
        Integer warmup;

        @Option(names = "--wd", paramLabel = "X", defaultValue = "0.1", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
        double wd;

        @Option(names = "--clip", paramLabel = "X", defaultValue = "1.0", description = "gradient norm clipping (default: ${DEFAULT-VALUE})")
        double clip;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
        int seed;

        @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "500",
                description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
        int checkpointEvery;

        @Option(names = "--resume", description = "continue the run in --out from its checkpoint, bit-exact")
        boolean resume;

        @Option(names = "--quiet", description = "no progress bar")
        public boolean quiet;

        /** A trainer config with these options, {@code batch} and the run folder {@code out}. */
        public TrainConfig.Builder config(int batch, Path out) {
            return TrainConfig.builder().steps(steps).batch(batch).accumulation(accum).lr(lr)
                    .warmup(warmup != null ? warmup : Math.min(100, steps / 10)).weightDecay(wd).clipNorm(clip).seed(seed)
                    .outDir(out).resume(resume).checkpointEvery(checkpointEvery);
        }
    }

    /** The data specs {@link DataSpecs#load} reads, for help and completion. */
    static final class DataSpecNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DataSpecs.names().iterator();
        }
    }
}
