package dev.vireo.models.train;

import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.distributed.Collective;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.GradClip;
import dev.vireo.engine.optim.LrSchedule;
import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimisation loop every contrastive trainer shares, whatever its towers: resume from the
 * checkpoint, warm-up + cosine, micro-batches accumulated into one step, a finite-loss check,
 * global-norm clipping, AdamW, the temperature clamp, the JSONL log, listeners and atomic
 * checkpoints. What a micro-batch's features and a batch's loss are belongs to the trainer.
 *
 * <p>Accumulation is open_clip's for contrastive losses ({@code --accum-freq}): every micro-batch of
 * the step is first encoded without a graph; then each is encoded again with its graph and the loss
 * is taken over the whole step's features (its own in place of the cached ones), so each pair
 * still has {@code batch × accumulation − 1} negatives and the step's gradient is that of one
 * batch of {@code batch × accumulation}, for about a third more encoder work. Plain accumulation
 * (a mean of micro-batch losses) would train with fewer negatives.
 *
 * <p>A contrastive trainer may run as one of K ranks ({@link DataParallel}): each rank encodes its
 * rows of every micro-batch, the losses see every rank's rows, the gradients are summed over the
 * ranks before clipping, and only rank 0 writes the run folder. Accumulation composes with it: every
 * micro-batch is gathered over the ranks first, then re-encoded with its graph as above.
 */
final class TrainingLoop {
    /** A micro-batch's features, each (B, E), with their graph. */
    record Features(Tensor image, Tensor text) {}

    /** What a trainer gives the loop: its micro-batches' features and the loss of a batch of them. */
    interface ContrastiveStep {
        /** Micro-batch {@code batchNumber} (step × accumulation + micro), encoded with its graph. */
        Features features(long batchNumber);

        /** The loss () of a batch's features, (N, E) each. */
        Tensor loss(Tensor imageFeatures, Tensor textFeatures);
    }

    private TrainingLoop() {}

    /** One step's forward and backward: its loss and, with several objectives, each one's. */
    record StepLoss(double loss, Map<String, Double> parts) {}

    /** What a step computes: forward and backward of step {@code step}'s batch (its gradients accumulated), then its loss. */
    @FunctionalInterface
    interface StepWork {
        StepLoss run(long step) throws IOException;

        /** After the optimiser updated the weights (a momentum model follows them here). */
        default void afterOptimizerStep() {}

        /** State of the work's own that a checkpoint must keep (a momentum model, queues), or null. */
        default OptimizerState state() {
            return null;
        }

        /** Restores {@link #state()} from a checkpoint being resumed. */
        default void restore(OptimizerState state) {}
    }

    /** Runs steps up to {@code stopAt} (at most {@code cfg.steps()}) of {@code model}, whose config is {@code configJson}. */
    static <M extends Module> ClipTrainer.Result<M> run(M model, Parameter logitScale, String configJson, AdamW optimizer,
                                                        TrainConfig cfg, long stopAt, ContrastiveStep contrastive,
                                                        TrainListener... listeners) throws IOException {
        return run(model, logitScale, configJson, optimizer, cfg, stopAt, contrastive, Collective.single(), listeners);
    }

    /**
     * As above, as one of the ranks of {@code collective} that train the model together (see
     * {@link DataParallel}): {@code contrastive} gives this rank's rows of each micro-batch, the loss
     * sees every rank's, the gradients are summed over the ranks before clipping, and only rank 0
     * writes the run folder. Listeners run on every rank; {@code onCheckpoint} only on rank 0, which
     * writes the checkpoints.
     */
    static <M extends Module> ClipTrainer.Result<M> run(M model, Parameter logitScale, String configJson, AdamW optimizer,
                                                        TrainConfig cfg, long stopAt, ContrastiveStep contrastive,
                                                        Collective collective, TrainListener... listeners) throws IOException {
        Path checkpointFile = cfg.outDir().resolve(ClipTrainer.CHECKPOINT);
        List<Tensor> lossOnly = lossOnlyParameters(model, logitScale);
        DataParallel parallel = new DataParallel(collective, trainable(model).values(), lossOnly);
        return run(model, logitScale, configJson, optimizer, cfg, stopAt,
                step -> new StepLoss(accumulate(contrastive, step, cfg.accumulation(), lossOnly, checkpointFile, parallel), Map.of()),
                parallel, listeners);
    }

    /** The same loop around any step's work (a loss of several objectives, say), in one process. */
    static <M extends Module> ClipTrainer.Result<M> run(M model, Parameter logitScale, String configJson, AdamW optimizer,
                                                        TrainConfig cfg, long stopAt, StepWork work,
                                                        TrainListener... listeners) throws IOException {
        return run(model, logitScale, configJson, optimizer, cfg, stopAt, work,
                new DataParallel(Collective.single(), List.of(), List.of()), listeners);
    }

    private static <M extends Module> ClipTrainer.Result<M> run(M model, Parameter logitScale, String configJson, AdamW optimizer,
                                                                TrainConfig cfg, long stopAt, StepWork work, DataParallel parallel,
                                                                TrainListener... listeners) throws IOException {
        boolean writes = parallel.writesFiles();
        if (writes) Files.createDirectories(cfg.outDir());
        Map<String, Tensor> trainable = trainable(model);
        LrSchedule schedule = LrSchedule.warmupCosine(cfg.warmup(), cfg.steps(), 0.0);
        Path checkpointFile = cfg.outDir().resolve(ClipTrainer.CHECKPOINT);
        long start = 0;
        if (cfg.resume() && Files.exists(checkpointFile)) { // every rank restores the same checkpoint
            RunSettings.checkResume(cfg.outDir(), cfg);
            Checkpoint ckpt = Checkpoint.load(checkpointFile);
            ckpt.restoreModel(allParameters(model));
            if (ckpt.optimizer() != null) optimizer.loadState(ckpt.optimizer());
            if (ckpt.ema() != null) work.restore(ckpt.ema());
            start = ckpt.step();
        }
        parallel.checkSameStart(start, allParameters(model));
        if (writes) {
            AtomicFiles.writeString(cfg.outDir().resolve("config.json"), configJson); // a kill mid-write leaves the old one
            RunSettings.write(cfg.outDir(), cfg);
        }

        long t0 = System.nanoTime();
        double samplesPerSecond = 0;
        // rank 0 logs to metrics.jsonl; the others keep their losses in memory
        List<double[]> rankLosses = new ArrayList<>();
        TrainListener lossRecord = new TrainListener() {
            @Override
            public void onStep(Step step) {
                rankLosses.add(new double[] {step.step(), step.loss()});
            }
        };
        try (MetricsLog metrics = writes ? new MetricsLog(cfg.outDir().resolve("metrics.jsonl"), start) : null) {
            List<TrainListener> all = new ArrayList<>();
            all.add(metrics != null ? metrics : lossRecord);
            all.addAll(List.of(listeners));
            for (TrainListener l : all) l.onStart(cfg.outDir(), start, cfg.steps());
            long end = Math.min(cfg.steps(), stopAt);
            for (long step = start; step < end; step++) {
                long stepStart = System.nanoTime();
                schedule.apply(optimizer, step);
                StepLoss stepLoss = work.run(step);
                parallel.sumGradients();
                if (cfg.clipNorm() > 0) GradClip.clipGradNorm(trainable.values(), cfg.clipNorm());
                optimizer.step();
                optimizer.zeroGrad();
                if (logitScale != null) clampLogitScale(logitScale);
                work.afterOptimizerStep();
                double stepSeconds = (System.nanoTime() - stepStart) / 1e9;
                double sps = cfg.batch() * cfg.accumulation() / stepSeconds;
                samplesPerSecond = samplesPerSecond == 0 ? sps : 0.9 * samplesPerSecond + 0.1 * sps;
                TrainListener.Step done = new TrainListener.Step(step + 1, cfg.steps(), stepLoss.loss(), optimizer.groups().getFirst().lr(),
                        logitScale == null ? Double.NaN : logitScale.value().item(), sps, samplesPerSecond, stepLoss.parts());
                for (TrainListener l : all) l.onStep(done);
                boolean last = step + 1 == end;
                if (writes && (last || cfg.checkpointEvery() > 0 && (step + 1) % cfg.checkpointEvery() == 0)) {
                    Checkpoint.capture(step + 1, new Rng(cfg.seed()), configJson, allParameters(model), optimizer.state(), work.state())
                            .save(checkpointFile);
                    for (TrainListener l : all) l.onCheckpoint(step + 1, checkpointFile);
                }
            }
            parallel.barrier(); // the last checkpoint is written before any rank returns
            double seconds = (System.nanoTime() - t0) / 1e9;
            ClipTrainer.Result<M> result = new ClipTrainer.Result<>(model, cfg.outDir(), metrics != null ? metrics.losses() : rankLosses,
                    seconds, samplesPerSecond);
            for (TrainListener l : all) l.onEnd(result);
            return result;
        }
    }

    /**
     * Forward and backward of one step's micro-batches (see the class comment) in one process; returns the step's loss.
     * Each micro-batch's loss is the whole step's, so the parameters only the loss reads (the
     * temperature, a logit bias) would collect its gradient once per micro-batch: theirs is divided
     * by the accumulation.
     */
    static double accumulate(ContrastiveStep contrastive, long step, int accumulation, List<Tensor> lossOnly, Path checkpointFile) {
        try {
            return accumulate(contrastive, step, accumulation, lossOnly, checkpointFile, new DataParallel(Collective.single(), List.of(), lossOnly));
        } catch (IOException e) {
            throw new AssertionError("one rank alone does no I/O", e);
        }
    }

    /**
     * The same, as one rank of {@code parallel}: {@code contrastive} gives this rank's rows of each
     * micro-batch, and each loss is taken over every rank's rows, this rank's with their graph.
     */
    static double accumulate(ContrastiveStep contrastive, long step, int accumulation, List<Tensor> lossOnly, Path checkpointFile,
                             DataParallel parallel) throws IOException {
        if (accumulation == 1) {
            Features f = contrastive.features(step);
            Tensor loss = contrastive.loss(parallel.withOthers(f.image()), parallel.withOthers(f.text())); // ()
            float value = finite(loss.item(), step, checkpointFile);
            loss.backward();
            return value;
        }
        Tensor[] images = new Tensor[accumulation], texts = new Tensor[accumulation];
        try (var ignored = GradMode.noGrad()) {
            for (int micro = 0; micro < accumulation; micro++) {
                Features f = contrastive.features(step * accumulation + micro);
                images[micro] = parallel.gathered(f.image()); // (B, E), every rank's rows, no graph
                texts[micro] = parallel.gathered(f.text());   // (B, E), every rank's rows, no graph
            }
        }
        double value = 0;
        for (int micro = 0; micro < accumulation; micro++) {
            Features f = contrastive.features(step * accumulation + micro);
            Tensor[] stepImages = images.clone(), stepTexts = texts.clone();
            stepImages[micro] = parallel.spliced(images[micro], f.image()); // (B, E), this rank's rows with graph
            stepTexts[micro] = parallel.spliced(texts[micro], f.text());    // (B, E)
            Tensor loss = contrastive.loss(ShapeOps.concat(0, stepImages), ShapeOps.concat(0, stepTexts)); // ()
            value = finite(loss.item(), step, checkpointFile);
            loss.backward();
        }
        for (Tensor p : lossOnly) {
            if (p.grad() == null) continue;
            float[] g = p.gradBuffer();
            for (int i = 0; i < g.length; i++) g[i] /= accumulation;
        }
        return value;
    }

    static float finite(float value, long step, Path checkpointFile) {
        if (!Float.isFinite(value)) {
            throw new IllegalStateException("train: the loss became " + value + " at step " + step
                    + " (try a lower --lr or stronger --clip); the last checkpoint is " + checkpointFile);
        }
        return value;
    }

    /** The temperature and, when the model has one, SigLIP's logit bias: read by the loss, not the towers. */
    static List<Tensor> lossOnlyParameters(Module model, Parameter logitScale) {
        List<Tensor> out = new ArrayList<>();
        if (logitScale != null) out.add(logitScale.value());
        Parameter bias = model.namedParameters().get(ClipModel.LOGIT_BIAS);
        if (bias != null) out.add(bias.value());
        return out;
    }

    /** Keeps exp(t) in [1, 100], as OpenAI's training clamps the logit scale after each step. */
    static void clampLogitScale(Parameter logitScale) {
        Tensor t = logitScale.value();
        float v = t.item();
        float clamped = Math.max(0f, Math.min(ClipModel.MAX_LOGIT_SCALE, v));
        if (clamped != v) t.set(clamped);
    }

    static Map<String, Tensor> trainable(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            if (e.getValue().trainable()) out.put(e.getKey(), e.getValue().value());
        }
        return out;
    }

    static Map<String, Tensor> allParameters(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> out.put(k, p.value()));
        return out;
    }
}
