package dev.vireo.models.train;

import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.CaptionModel;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.generate.ImageTextDecoding;
import dev.vireo.models.generate.LanguageModelLoss;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trains an image captioner ({@link CaptionModel}) as BLIP trains its decoder: each caption, after
 * [CLS] (the begin token) and the prompt, is predicted token by token with the image in view
 * (teacher forcing, causal attention), by cross-entropy with label smoothing ({@value #LABEL_SMOOTHING},
 * BLIP's); the prompt's tokens and the padding are not predicted ({@code decoder_targets[:, :prompt_length]
 * = -100} in BLIP). The vocabulary is built from the captions and the prompt ({@code vocab.txt}); the
 * prompt is kept in {@code prompt.txt}; the loop is the one every trainer shares (AdamW, warm-up +
 * cosine, clipping, atomic checkpoints with exact resume, JSONL, listeners). A batch is a pure
 * function of (seed, step).
 */
public final class CaptionTrainer {
    /** BLIP's label smoothing of the captioning loss. */
    public static final float LABEL_SMOOTHING = LanguageModelLoss.BLIP_LABEL_SMOOTHING;

    private CaptionTrainer() {}

    public static ClipTrainer.Result<CaptionModel> train(CaptionConfig config, ImageTextData data, String prompt, TrainConfig cfg,
                                                         TrainListener... listeners) throws IOException {
        return train(config, data, prompt, cfg, cfg.steps(), listeners);
    }

    /** As above, stopping (and checkpointing) at step {@code stopAt}. */
    public static ClipTrainer.Result<CaptionModel> train(CaptionConfig config, ImageTextData data, String prompt, TrainConfig cfg, long stopAt,
                                                         TrainListener... listeners) throws IOException {
        ClipTrainer.checkData(data, cfg, config.vision().imageSize(), config.name());
        if (cfg.lockImage() || cfg.lockText()) throw new IllegalArgumentException("caption: --lock-image and --lock-text are for contrastive training");
        CaptionRunFolder folder = CaptionRunFolder.prepare("caption", cfg, data, prompt, config.text().vocabSize());
        WordPieceTokenizer tokenizer = folder.tokenizer();
        CaptionConfig sized = config.withVocabSize(tokenizer.vocabSize());
        CaptionModel model = new CaptionModel(sized, cfg.seed());
        int maxLength = sized.text().maxPositions();
        int promptLength = folder.promptLength(maxLength);
        AdamW optimizer = new AdamW(ParamGroups.withWeightDecay(TrainingLoop.trainable(model), cfg.lr(), cfg.weightDecay()));
        BatchSampler sampler = folder.sampler(data, maxLength, cfg);
        Path checkpointFile = cfg.outDir().resolve(ClipTrainer.CHECKPOINT);
        TrainingLoop.StepWork work = step -> {
            double total = 0;
            for (int micro = 0; micro < cfg.accumulation(); micro++) {
                BatchSampler.Batch b = sampler.batch(step * cfg.accumulation() + micro, cfg.batch());
                Tensor loss = loss(model, b, promptLength, tokenizer.padId()); // ()
                float value = TrainingLoop.finite(loss.item(), step, checkpointFile);
                (cfg.accumulation() == 1 ? loss : loss.mul(1f / cfg.accumulation())).backward();
                total += value / cfg.accumulation();
            }
            return new TrainingLoop.StepLoss(total, Map.of());
        };
        return TrainingLoop.run(model, null, sized.toJson(), optimizer, cfg, stopAt, work, listeners);
    }

    /** The captioning loss () of one batch ({@link LanguageModelLoss}, BLIP's label smoothing). */
    static Tensor loss(ImageTextDecoding model, BatchSampler.Batch b, int promptLength, int padId) {
        Tensor image = model.imageTokens(b.images()); // (B, S, Cv)
        return LanguageModelLoss.of(model, image, b.ids(), b.imageIndex().length, b.length(), promptLength, padId, LABEL_SMOOTHING); // ()
    }
}
