package dev.vireo.models.train;

import dev.vireo.engine.distributed.Collective;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.clip.ContrastiveObjective;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.text.ClipTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Contrastive training of a CLIP model: AdamW with decoupled weight decay (no decay on biases,
 * norms, embeddings and the temperature), linear warm-up then cosine, global-norm clipping,
 * gradient accumulation, optional image augmentation ({@link TrainConfig#augment()}), atomic
 * checkpoints with exact resume and a JSONL metrics log ({@link MetricsLog}); progress bars, plots and
 * other reports are {@link TrainListener}s the caller passes. The sample order and each sample's
 * augmentation are pure functions of (seed, step), so a resumed run sees exactly the batches an
 * uninterrupted one would. Several processes may train one model together, each on its rows of every
 * batch: see {@link #train(ClipConfig, ImageTextData, TrainConfig, long, Collective, TrainListener...)}.
 */
public final class ClipTrainer {
    public static final String CHECKPOINT = "checkpoint.safetensors";

    /** What a finished run leaves: the trained model (a {@link ClipModel}, or a LiT model), its folder, and the throughput measured. */
    public record Result<M extends Module>(M model, Path runDir, List<double[]> losses, double seconds, double samplesPerSecond) {}

    private ClipTrainer() {}

    public static Result<ClipModel> train(ClipConfig modelConfig, ImageTextData data, TrainConfig cfg, TrainListener... listeners)
            throws IOException {
        return train(modelConfig, data, cfg, cfg.steps(), listeners);
    }

    /**
     * Trains until step {@code stopAt} (at most {@code cfg.steps()}) and checkpoints there: a run
     * interrupted on purpose, which {@code resume} continues exactly (the schedule still spans
     * {@code cfg.steps()}).
     */
    public static Result<ClipModel> train(ClipConfig modelConfig, ImageTextData data, TrainConfig cfg, long stopAt, TrainListener... listeners)
            throws IOException {
        return train(modelConfig, data, cfg, stopAt, Collective.single(), listeners);
    }

    /**
     * Trains as rank {@code collective.rank()} of {@code collective.size()} ranks that train one model
     * together (data parallel): the global batch {@code cfg.batch()} is the one a single process draws,
     * and rank r encodes its rows {@code [r·B/K, (r+1)·B/K)}; the loss sees every rank's features and
     * the gradients are summed over the ranks each step ({@link DataParallel}), so every rank's weights
     * stay bit-identical and follow single-process training within float32 reordering. Accumulation
     * works as in one process (each rank's share of every micro-batch). Every rank needs the same
     * data, config and seed; only rank 0 writes {@code cfg.outDir()}, and with {@code cfg.resume()}
     * every rank restores the checkpoint there (a folder all ranks read). Listeners run on every rank
     * (onCheckpoint only on rank 0). Every rank returns once rank 0 has written the last checkpoint.
     */
    public static Result<ClipModel> train(ClipConfig modelConfig, ImageTextData data, TrainConfig cfg, long stopAt, Collective collective,
                                          TrainListener... listeners) throws IOException {
        checkData(data, cfg, modelConfig.vision().imageSize(), modelConfig.name());
        checkVocabulary(modelConfig, ClipTokenizer.openai());
        int ranks = collective.size(), from = collective.rank() * cfg.batch() / ranks, to = (collective.rank() + 1) * cfg.batch() / ranks;
        if (cfg.batch() % ranks != 0) {
            throw new IllegalArgumentException("train: the global batch of " + cfg.batch() + " does not split evenly over " + ranks + " ranks");
        }
        if (collective.rank() == 0) DataReport.write(cfg.outDir(), data); // what the source held and what was left out
        ContrastiveObjective objective = cfg.loss().objective();
        // the model carries what its objective learns beside the temperature: SigLIP's logit bias
        ClipConfig config = modelConfig.withLogitBias(objective.needsLogitBias());
        ClipModel model = new ClipModel(config, cfg.seed());
        if (cfg.lockImage()) model.lockImageTower();
        if (cfg.lockText()) model.lockTextTower();
        AdamW optimizer = new AdamW(ParamGroups.withWeightDecay(TrainingLoop.trainable(model), cfg.lr(), cfg.weightDecay()));
        BatchSampler sampler = new BatchSampler(data, ClipTokenizer.openai(), modelConfig.text().contextLength(), cfg.seed(),
                BatchAugment.of(cfg.augment(), data.imageSize()));
        return TrainingLoop.run(model, model.logitScale(), config.toJson(), optimizer, cfg, stopAt, new TrainingLoop.ContrastiveStep() {
            @Override
            public TrainingLoop.Features features(long batchNumber) {
                BatchSampler.Batch global = sampler.batch(batchNumber, cfg.batch());
                BatchSampler.Batch b = ranks == 1 ? global : global.rows(from, to); // this rank's rows of the global batch
                return new TrainingLoop.Features(model.encodeImage(b.images()),   // (B/K, E)
                        model.encodeText(b.ids(), to - from, b.length()));       // (B/K, E)
            }

            @Override
            public Tensor loss(Tensor imageFeatures, Tensor textFeatures) {
                return objective.forward(model, imageFeatures, textFeatures); // ()
            }
        }, collective, listeners);
    }

    /**
     * Refuses a text tower whose vocabulary is smaller than the tokenizer's ids (the built-in {@code small}
     * is the benchmark's shape, timed on random ids below 8192): training would stop at the first caption.
     */
    static void checkVocabulary(ClipConfig config, ClipTokenizer tokenizer) {
        int needed = Math.max(tokenizer.startId(), tokenizer.endId()) + 1;
        if (config.text().vocabSize() < needed) {
            throw new IllegalArgumentException("train: model " + config.name() + " has a text vocabulary of " + config.text().vocabSize()
                    + " ids but the CLIP tokenizer gives ids up to " + (needed - 1) + " (it is a benchmark shape); train a config with"
                    + " vocabSize " + needed + " (tiny, ViT-B-32, ViT-B-16, ViT-L-14 or a JSON file)");
        }
    }

    /** Refuses data whose images are not the model's size or too few for one batch. */
    static void checkData(ImageTextData data, TrainConfig cfg, int imageSize, String modelName) {
        if (data.imageSize() != imageSize) {
            throw new IllegalArgumentException("train: data images are " + data.imageSize() + " px but model " + modelName
                    + " expects " + imageSize);
        }
        if (data.size() < cfg.batch()) {
            throw new IllegalArgumentException("train: " + data.size() + " images are fewer than one batch of " + cfg.batch());
        }
    }
}
