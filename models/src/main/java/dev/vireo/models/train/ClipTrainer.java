package dev.vireo.models.train;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.GradClip;
import dev.vireo.engine.optim.LrSchedule;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.ContrastiveObjective;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.text.ClipTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contrastive training of a CLIP model: AdamW with decoupled weight decay (no decay on biases,
 * norms, embeddings and the temperature), linear warm-up then cosine, global-norm clipping,
 * gradient accumulation, optional image augmentation ({@link TrainConfig#augment()}), atomic
 * checkpoints with exact resume and a JSONL metrics log ({@link MetricsLog}); progress bars, plots and
 * other reports are {@link TrainListener}s the caller passes. The sample order and each sample's
 * augmentation are pure functions of (seed, step), so a resumed run sees exactly the batches an
 * uninterrupted one would.
 */
public final class ClipTrainer {
    public static final String CHECKPOINT = "checkpoint.safetensors";

    /** What a finished run leaves: the trained model, its folder, and the throughput measured. */
    public record Result(ClipModel model, Path runDir, List<double[]> losses, double seconds, double samplesPerSecond) {}

    private ClipTrainer() {}

    public static Result train(ClipConfig modelConfig, ImageTextData data, TrainConfig cfg, TrainListener... listeners)
            throws IOException {
        return train(modelConfig, data, cfg, cfg.steps(), listeners);
    }

    /**
     * Trains until step {@code stopAt} (at most {@code cfg.steps()}) and checkpoints there: a run
     * interrupted on purpose, which {@code resume} continues exactly (the schedule still spans
     * {@code cfg.steps()}).
     */
    public static Result train(ClipConfig modelConfig, ImageTextData data, TrainConfig cfg, long stopAt, TrainListener... listeners)
            throws IOException {
        if (data.imageSize() != modelConfig.vision().imageSize()) {
            throw new IllegalArgumentException("train: data images are " + data.imageSize() + " px but model " + modelConfig.name()
                    + " expects " + modelConfig.vision().imageSize());
        }
        if (data.size() < cfg.batch()) {
            throw new IllegalArgumentException("train: " + data.size() + " images are fewer than one batch of " + cfg.batch());
        }
        Files.createDirectories(cfg.outDir());
        ContrastiveObjective objective = cfg.loss().objective();
        // the model carries what its objective learns beside the temperature: SigLIP's logit bias
        ClipConfig config = modelConfig.withLogitBias(objective.needsLogitBias());
        ClipModel model = new ClipModel(config, cfg.seed());
        if (cfg.lockImage()) model.lockImageTower();
        if (cfg.lockText()) model.lockTextTower();
        Map<String, Tensor> trainable = trainable(model);
        AdamW optimizer = new AdamW(ParamGroups.withWeightDecay(trainable, cfg.lr(), cfg.weightDecay()));
        LrSchedule schedule = LrSchedule.warmupCosine(cfg.warmup(), cfg.steps(), 0.0);
        BatchSampler sampler = new BatchSampler(data, ClipTokenizer.openai(), modelConfig.text().contextLength(), cfg.seed(),
                BatchAugment.of(cfg.augment(), data.imageSize()));

        Path checkpointFile = cfg.outDir().resolve(CHECKPOINT);
        long start = 0;
        if (cfg.resume() && Files.exists(checkpointFile)) {
            Checkpoint ckpt = Checkpoint.load(checkpointFile);
            ckpt.restoreModel(allParameters(model));
            if (ckpt.optimizer() != null) optimizer.loadState(ckpt.optimizer());
            start = ckpt.step();
        }
        Files.writeString(cfg.outDir().resolve("config.json"), config.toJson());

        long t0 = System.nanoTime();
        double samplesPerSecond = 0;
        try (MetricsLog metrics = new MetricsLog(cfg.outDir().resolve("metrics.jsonl"), start)) {
            List<TrainListener> all = new ArrayList<>();
            all.add(metrics);
            all.addAll(List.of(listeners));
            for (TrainListener l : all) l.onStart(cfg.outDir(), start, cfg.steps());
            long end = Math.min(cfg.steps(), stopAt);
            for (long step = start; step < end; step++) {
                long stepStart = System.nanoTime();
                schedule.apply(optimizer, step);
                double lossValue = 0;
                for (int micro = 0; micro < cfg.accumulation(); micro++) {
                    BatchSampler.Batch b = sampler.batch(step * cfg.accumulation() + micro, cfg.batch());
                    Tensor imageFeatures = model.encodeImage(b.images());                     // (B, E)
                    Tensor textFeatures = model.encodeText(b.ids(), cfg.batch(), b.length()); // (B, E)
                    Tensor loss = objective.forward(model, imageFeatures, textFeatures);      // ()
                    float value = loss.item();
                    if (!Float.isFinite(value)) {
                        throw new IllegalStateException("train: the loss became " + value + " at step " + step
                                + " (try a lower --lr or stronger --clip); the last checkpoint is " + checkpointFile);
                    }
                    lossValue += value / cfg.accumulation();
                    loss.mul(1f / cfg.accumulation()).backward();
                }
                if (cfg.clipNorm() > 0) GradClip.clipGradNorm(trainable.values(), cfg.clipNorm());
                optimizer.step();
                optimizer.zeroGrad();
                clampLogitScale(model);
                double stepSeconds = (System.nanoTime() - stepStart) / 1e9;
                double sps = cfg.batch() * cfg.accumulation() / stepSeconds;
                samplesPerSecond = samplesPerSecond == 0 ? sps : 0.9 * samplesPerSecond + 0.1 * sps;
                TrainListener.Step done = new TrainListener.Step(step + 1, cfg.steps(), lossValue, optimizer.groups().getFirst().lr(),
                        model.logitScale().value().item(), sps, samplesPerSecond);
                for (TrainListener l : all) l.onStep(done);
                boolean last = step + 1 == end;
                if (last || cfg.checkpointEvery() > 0 && (step + 1) % cfg.checkpointEvery() == 0) {
                    Checkpoint.capture(step + 1, new Rng(cfg.seed()), config.toJson(), allParameters(model), optimizer.state())
                            .save(checkpointFile);
                    for (TrainListener l : all) l.onCheckpoint(step + 1, checkpointFile);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Result result = new Result(model, cfg.outDir(), metrics.losses(), seconds, samplesPerSecond);
            for (TrainListener l : all) l.onEnd(result);
            return result;
        }
    }

    /** Keeps exp(t) in [1, 100], as OpenAI's training clamps the logit scale after each step. */
    static void clampLogitScale(ClipModel model) {
        Tensor t = model.logitScale().value();
        float v = t.item();
        float clamped = Math.max(0f, Math.min(ClipModel.MAX_LOGIT_SCALE, v));
        if (clamped != v) t.set(clamped);
    }

    static Map<String, Tensor> trainable(ClipModel model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            if (e.getValue().trainable()) out.put(e.getKey(), e.getValue().value());
        }
        return out;
    }

    static Map<String, Tensor> allParameters(ClipModel model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> out.put(k, p.value()));
        return out;
    }
}
