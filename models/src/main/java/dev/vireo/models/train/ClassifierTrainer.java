package dev.vireo.models.train;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipImageClassifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * End-to-end fine-tuning of a {@link ClipImageClassifier} (image tower, projection and head) with
 * cross-entropy on labelled images, as WiSE-FT fine-tunes a zero-shot CLIP: the loop every trainer
 * shares ({@link TrainingLoop}: AdamW with decoupled weight decay off biases and norms, linear
 * warm-up then cosine, global-norm clipping, accumulation, atomic checkpoints with exact resume, the
 * JSONL log), batches drawn as the contrastive trainers draw them (a pure function of seed and step,
 * with the optional augmentation of {@link TrainConfig#augment()}). The starting classifier is left
 * as it was: the run trains a copy, so the zero-shot weights stay for {@code WiseFt}.
 */
public final class ClassifierTrainer {
    private ClassifierTrainer() {}

    /** Fine-tunes a copy of {@code start} on {@code data} with its {@code labels} (one per image, in [0, K)) for {@code cfg.steps()} steps. */
    public static ClipTrainer.Result<ClipImageClassifier> fineTune(ClipImageClassifier start, ImageTextData data, int[] labels, TrainConfig cfg,
                                                                   TrainListener... listeners) throws IOException {
        ClipTrainer.checkData(data, cfg, start.visionConfig().imageSize(), "classifier");
        if (labels.length != data.size()) throw new IllegalArgumentException("fine-tune: " + labels.length + " labels for " + data.size() + " images");
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= start.classes()) {
                throw new IllegalArgumentException("fine-tune: label " + labels[i] + " of image " + i + " is outside [0, " + start.classes() + ")");
            }
        }
        if (cfg.lockImage() || cfg.lockText()) throw new IllegalArgumentException("fine-tune: --lock-image and --lock-text are for contrastive training");
        ClipImageClassifier model = ClipImageClassifier.sameShapeAs(start);
        model.train(true);
        AdamW optimizer = new AdamW(ParamGroups.withWeightDecay(TrainingLoop.trainable(model), cfg.lr(), cfg.weightDecay()));
        // captions play no part: every one is coded as the same single id
        BatchSampler sampler = new BatchSampler(data, caption -> new int[] {0}, 1, cfg.seed(), BatchAugment.of(cfg.augment(), data.imageSize()));
        Path checkpointFile = cfg.outDir().resolve(ClipTrainer.CHECKPOINT);
        TrainingLoop.StepWork work = step -> {
            double total = 0;
            for (int micro = 0; micro < cfg.accumulation(); micro++) {
                BatchSampler.Batch b = sampler.batch(step * cfg.accumulation() + micro, cfg.batch());
                int[] targets = new int[b.imageIndex().length];
                for (int j = 0; j < targets.length; j++) targets[j] = labels[b.imageIndex()[j]];
                Tensor logits = model.forward(b.images());                   // (B, K)
                Tensor loss = Losses.crossEntropy(logits, targets);          // ()
                float value = TrainingLoop.finite(loss.item(), step, checkpointFile);
                (cfg.accumulation() == 1 ? loss : loss.mul(1f / cfg.accumulation())).backward();
                total += value / cfg.accumulation();
            }
            return new TrainingLoop.StepLoss(total, Map.of());
        };
        ClipTrainer.Result<ClipImageClassifier> result = TrainingLoop.run(model, null, configJson(model), optimizer, cfg, cfg.steps(), work, listeners);
        model.eval();
        return result;
    }

    /** The run folder's config.json: the classifier's shape. */
    private static String configJson(ClipImageClassifier model) {
        var v = model.visionConfig();
        return "{\"classifier\": \"clip-image-classifier\", \"embedDim\": " + model.embedDim() + ", \"classes\": " + model.classes()
                + ", \"vision\": {\"imageSize\": " + v.imageSize() + ", \"patchSize\": " + v.patchSize() + ", \"width\": " + v.width()
                + ", \"layers\": " + v.layers() + ", \"heads\": " + v.heads() + ", \"mlpRatio\": " + v.mlpRatio() + ", \"activation\": \""
                + v.activation() + "\"" + (v.stemChannels() > 0 ? ", \"stemChannels\": " + v.stemChannels() : "") + "}}\n";
    }
}
