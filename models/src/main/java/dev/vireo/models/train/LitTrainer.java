package dev.vireo.models.train;

import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroup;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipLoss;
import dev.vireo.models.config.LitConfig;
import dev.vireo.models.lit.LitModel;
import dev.vireo.models.lit.LockedTextTower;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Locked-text tuning (LiT, Zhai et al. 2022, text side locked): the image tower and both projections
 * learn against CLIP's InfoNCE while the pretrained text tower stays frozen. Every distinct caption
 * is encoded once, before the first step, and batches carry the id of its cached vector. The text
 * projection learns at {@link LitConfig#textProjectionLrScale()} times the run's rate (not at all at
 * 0, nor with {@link TrainConfig#lockText()}). Same loop, schedule, checkpoints and resume as {@link ClipTrainer}.
 */
public final class LitTrainer {
    private LitTrainer() {}

    public static ClipTrainer.Result<LitModel> train(LitConfig config, LockedTextTower tower, ImageTextData data, TrainConfig cfg,
                                                     TrainListener... listeners) throws IOException {
        if (tower.width() != config.textWidth()) {
            throw new IllegalArgumentException("train: the locked text tower gives " + tower.width() + "-wide vectors but "
                    + config.name() + " expects " + config.textWidth());
        }
        if (cfg.loss() != TrainConfig.Loss.CLIP) throw new IllegalArgumentException("train: LiT trains with --loss clip only");
        if (cfg.lockImage()) throw new IllegalArgumentException("train: LiT locks the text tower; locking the image tower too leaves nothing to learn");
        ClipTrainer.checkData(data, cfg, config.vision().imageSize(), config.name());
        DataReport.write(cfg.outDir(), data); // what the source held and what was left out
        LitModel model = new LitModel(config, cfg.seed());
        if (cfg.lockText() || config.textProjectionLrScale() == 0) model.textProjection().freeze();
        AdamW optimizer = new AdamW(groups(model, cfg));
        tower.ids(distinctCaptions(data));
        BatchSampler sampler = new BatchSampler(data, caption -> tower.ids(List.of(caption)), 1, cfg.seed(),
                BatchAugment.of(cfg.augment(), data.imageSize()));
        ClipLoss loss = new ClipLoss();
        return TrainingLoop.run(model, model.logitScale(), config.toJson(), optimizer, cfg, cfg.steps(), new TrainingLoop.ContrastiveStep() {
            @Override
            public TrainingLoop.Features features(long batchNumber) {
                BatchSampler.Batch b = sampler.batch(batchNumber, cfg.batch());
                return new TrainingLoop.Features(model.encodeImage(b.images()), // (B, E)
                        model.encodeText(tower.vectors(b.ids())));            // (B, W) → (B, E)
            }

            @Override
            public Tensor loss(Tensor imageFeatures, Tensor textFeatures) {
                return loss.forward(imageFeatures, textFeatures, model.logitScale().value()); // ()
            }
        }, listeners);
    }

    /** CLIP's decay and no-decay groups for all but the text projection, which gets its own, slower group. */
    private static List<ParamGroup> groups(LitModel model, TrainConfig cfg) {
        Map<String, Tensor> rest = new LinkedHashMap<>(), text = new LinkedHashMap<>();
        TrainingLoop.trainable(model).forEach((name, p) -> (name.startsWith("text_projection.") ? text : rest).put(name, p));
        List<ParamGroup> groups = new ArrayList<>(ParamGroups.withWeightDecay(rest, cfg.lr(), cfg.weightDecay()));
        if (!text.isEmpty()) groups.add(new ParamGroup(text, cfg.lr() * model.config().textProjectionLrScale(), cfg.weightDecay()));
        return groups;
    }

    private static List<String> distinctCaptions(ImageTextData data) {
        Set<String> captions = new LinkedHashSet<>();
        for (int i = 0; i < data.size(); i++) captions.addAll(data.captions(i));
        return List.copyOf(captions);
    }
}
