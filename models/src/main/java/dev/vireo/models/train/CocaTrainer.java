package dev.vireo.models.train;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipLoss;
import dev.vireo.models.coca.CocaModel;
import dev.vireo.models.config.CocaConfig;
import dev.vireo.models.generate.LanguageModelLoss;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a CoCa-style model ({@link CocaModel}) on both of its objectives at once, as the paper and
 * open_clip's {@code CoCaLoss} weigh them: loss = {@value #CONTRASTIVE_WEIGHT}·contrastive +
 * {@value #CAPTION_WEIGHT}·caption, where the contrastive loss is CLIP's symmetric InfoNCE over the
 * batch with the learnable logit scale, and the caption loss is the captioner's
 * ({@link LanguageModelLoss}: teacher forcing after [CLS] and the prompt, label smoothing
 * {@value #LABEL_SMOOTHING}, prompt and padding not predicted). One pass of each tower serves both.
 * Both parts go to the log ({@code loss_contrastive}, {@code loss_caption}). The run folder is a
 * captioner's ({@code vocab.txt}, {@code prompt.txt}) and the loop the one every trainer shares
 * (checkpoints, exact resume, JSONL); a batch is a pure function of (seed, step), so the same seed
 * gives the same bits. With accumulation the step's loss is the mean of its micro-batches', each
 * contrasting its own batch.
 */
public final class CocaTrainer {
    /** open_clip's {@code clip_loss_weight}. */
    public static final float CONTRASTIVE_WEIGHT = 1.0f;
    /** open_clip's {@code caption_loss_weight}. */
    public static final float CAPTION_WEIGHT = 2.0f;
    /** BLIP's label smoothing of the captioning loss (open_clip's CoCa uses none; we keep the captioner's). */
    public static final float LABEL_SMOOTHING = LanguageModelLoss.BLIP_LABEL_SMOOTHING;

    private CocaTrainer() {}

    /** One batch's losses: the weighted total () and each part's value. */
    record BatchLoss(Tensor total, double contrastive, double caption) {}

    public static ClipTrainer.Result<CocaModel> train(CocaConfig config, ImageTextData data, String prompt, TrainConfig cfg,
                                                      TrainListener... listeners) throws IOException {
        return train(config, data, prompt, cfg, cfg.steps(), listeners);
    }

    /** As above, stopping (and checkpointing) at step {@code stopAt}. */
    public static ClipTrainer.Result<CocaModel> train(CocaConfig config, ImageTextData data, String prompt, TrainConfig cfg, long stopAt,
                                                      TrainListener... listeners) throws IOException {
        ClipTrainer.checkData(data, cfg, config.vision().imageSize(), config.name());
        if (cfg.lockImage() || cfg.lockText()) throw new IllegalArgumentException("coca: --lock-image and --lock-text are not for CoCa, which trains both towers");
        if (cfg.loss() != TrainConfig.Loss.CLIP) throw new IllegalArgumentException("coca: the contrastive part is CLIP's softmax loss, not " + cfg.loss().id());
        CaptionRunFolder folder = CaptionRunFolder.prepare("coca", cfg, data, prompt, config.text().vocabSize());
        WordPieceTokenizer tokenizer = folder.tokenizer();
        CocaConfig sized = config.withVocabSize(tokenizer.vocabSize());
        CocaModel model = new CocaModel(sized, cfg.seed());
        int maxLength = sized.text().maxPositions();
        int promptLength = folder.promptLength(maxLength);
        AdamW optimizer = new AdamW(ParamGroups.withWeightDecay(TrainingLoop.trainable(model), cfg.lr(), cfg.weightDecay()));
        BatchSampler sampler = folder.sampler(data, maxLength, cfg);
        Path checkpointFile = cfg.outDir().resolve(ClipTrainer.CHECKPOINT);
        TrainingLoop.StepWork work = step -> {
            double total = 0, contrastive = 0, caption = 0;
            for (int micro = 0; micro < cfg.accumulation(); micro++) {
                BatchSampler.Batch b = sampler.batch(step * cfg.accumulation() + micro, cfg.batch());
                BatchLoss losses = loss(model, b, promptLength, tokenizer.padId(), tokenizer.sepId());
                float value = TrainingLoop.finite(losses.total().item(), step, checkpointFile);
                (cfg.accumulation() == 1 ? losses.total() : losses.total().mul(1f / cfg.accumulation())).backward();
                total += value / cfg.accumulation();
                contrastive += losses.contrastive() / cfg.accumulation();
                caption += losses.caption() / cfg.accumulation();
            }
            Map<String, Double> parts = new LinkedHashMap<>();
            parts.put("contrastive", contrastive);
            parts.put("caption", caption);
            return new TrainingLoop.StepLoss(total, parts);
        };
        return TrainingLoop.run(model, model.logitScale(), sized.toJson(), optimizer, cfg, stopAt, work, listeners);
    }

    /** One batch's weighted loss: both towers once, the contrastive loss over its B pairs, the caption loss over its captions. */
    static BatchLoss loss(CocaModel model, BatchSampler.Batch b, int promptLength, int padId, int endId) {
        int rows = b.imageIndex().length, length = b.length();
        CocaModel.Outputs out = model.forward(b.images(), b.ids(), rows, length, endId); // (B, E), (B, E), (B, T, V)
        Tensor contrastive = new ClipLoss().forward(out.imageFeatures(), out.textFeatures(), model.logitScale().value()); // ()
        int[] targets = LanguageModelLoss.targets(b.ids(), rows, length, promptLength, padId); // (B·T)
        int v = out.logits().size(2);
        Tensor caption = Losses.crossEntropy(out.logits().reshape(rows * length, v), targets, Losses.IGNORE_INDEX, LABEL_SMOOTHING); // ()
        Tensor total = contrastive.mul(CONTRASTIVE_WEIGHT).add(caption.mul(CAPTION_WEIGHT)); // ()
        return new BatchLoss(total, contrastive.item(), caption.item());
    }
}
