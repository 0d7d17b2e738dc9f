package dev.vireo.models.train;

import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.OptimizerState;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.text.CaptionVocabulary;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.MlmMasking;
import dev.vireo.models.vl.MomentumDistillation;
import dev.vireo.models.vl.SwappedCaptions;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlPretraining;
import dev.vireo.models.vl.VlRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pretraining of a vision-language transformer with any of ITC, ITM, MLM, MRM and LM ({@link VlPretraining}; LM gives the
 * model its text decoder)
 * on image-text data: the text side's WordPiece vocabulary is built from the training captions and
 * written to the run folder ({@value VlRuns#VOCAB}, kept on resume), then the loop every trainer
 * shares (AdamW, warm-up + cosine, clipping, atomic checkpoints with exact resume, JSONL with each
 * objective's loss, listeners). MRM classifies masked patches' regions too when the data labels its
 * patches ({@link RegionLabelledData}, the shapes world) and is not augmented. Micro-batches of an accumulated step average their losses. The
 * batches, the masking and the hard negatives of a step are pure functions of (seed, step).
 */
public final class VlTrainer {
    /** Masking rate of MLM (BERT's). */
    public static final double MLM_RATE = 0.15;

    private VlTrainer() {}

    /** What is pretrained: the objectives, and whether ITM also meets word-swapped captions ({@link SwappedCaptions}). */
    public record Objectives(Set<VlPretraining.Objective> objectives, boolean swapNegatives, boolean momentumDistill) {
        /** A comma-separated list ({@code itc,itm,mlm,mrm}) without swapped negatives or momentum distillation. */
        public static Objectives parse(String list) {
            return new Objectives(VlPretraining.Objective.parse(list), false, false);
        }

        public Objectives withSwapNegatives(boolean on) {
            return new Objectives(objectives, on, momentumDistill);
        }

        /** With ALBEF's momentum model, queues and soft targets ({@link MomentumDistillation}). */
        public Objectives withMomentumDistill(boolean on) {
            return new Objectives(objectives, swapNegatives, on);
        }

        String describe() {
            return String.join(",", objectives.stream().map(VlPretraining.Objective::id).toList()) + (swapNegatives ? " +swap" : "")
                    + (momentumDistill ? " +momentum" : "");
        }
    }

    /** ALBEF's momentum settings: the average's decay, the queue length (ALBEF: 65,536; here sized to the shapes world), α. */
    public static final double MOMENTUM = 0.995;
    public static final int QUEUE = 1024;
    public static final double DISTILL_ALPHA = 0.4;

    /** The run folder's record of {@link Objectives}, compared on resume. */
    public static final String OBJECTIVES = "objectives.txt";

    public static ClipTrainer.Result<VlModel> train(VlConfig config, Objectives objectives, ImageTextData data,
                                                    TrainConfig cfg, TrainListener... listeners) throws IOException {
        return train(config, objectives, data, cfg, cfg.steps(), listeners);
    }

    /** As above, stopping (and checkpointing) at step {@code stopAt}. */
    public static ClipTrainer.Result<VlModel> train(VlConfig config, Objectives what, ImageTextData data,
                                                    TrainConfig cfg, long stopAt, TrainListener... listeners) throws IOException {
        return train(config, what, data, cfg, stopAt, null, listeners);
    }

    /**
     * As above, the image tower starting from a captioner's ({@code imageTowerFrom}, a run folder of
     * {@code vireo finetune --task caption} whose vision config equals {@code config}'s; null: fresh).
     * Predicting every word of a caption teaches the tower each object's kind, colour and place; ITC,
     * ITM and MLM alone reach high scores by elimination and leave binding at chance.
     */
    public static ClipTrainer.Result<VlModel> train(VlConfig config, Objectives what, ImageTextData data,
                                                    TrainConfig cfg, long stopAt, Path imageTowerFrom, TrainListener... listeners) throws IOException {
        if (imageTowerFrom != null) VqaTrainer.Start.imageTowerOf(imageTowerFrom, config); // the same vision config, or a one-line error
        Set<VlPretraining.Objective> objectives = what.objectives();
        ClipTrainer.checkData(data, cfg, config.vision().imageSize(), config.name());
        if (cfg.lockImage() || cfg.lockText()) throw new IllegalArgumentException("pretrain: --lock-image and --lock-text are for contrastive training");
        if (cfg.loss() != TrainConfig.Loss.CLIP) throw new IllegalArgumentException("pretrain: ITC is CLIP's InfoNCE; --loss siglip is for `vireo train`");
        Files.createDirectories(cfg.outDir());
        Path recorded = cfg.outDir().resolve(OBJECTIVES);
        if (cfg.resume() && Files.isRegularFile(recorded) && !Files.readString(recorded).strip().equals(what.describe())) {
            throw new IllegalArgumentException("pretrain: the run in " + cfg.outDir() + " trained " + Files.readString(recorded).strip()
                    + ", not " + what.describe() + " (" + OBJECTIVES + "); resume with the same objectives");
        }
        AtomicFiles.writeString(recorded, what.describe() + "\n");
        DataReport.write(cfg.outDir(), data);
        WordPieceTokenizer tokenizer = vocabulary(cfg, data, config.text().vocabSize());
        // region labels hold for the images as generated: an augmented crop moves what lies under a patch
        boolean regions = objectives.contains(VlPretraining.Objective.MRM) && data instanceof RegionLabelledData
                && cfg.augment() == TrainConfig.Augment.NONE;
        VlConfig sized = config.withVocabSize(tokenizer.vocabSize()).withRegionClasses(regions ? ((RegionLabelledData) data).regionClasses() : 0)
                .withDecoder(objectives.contains(VlPretraining.Objective.LM));
        VlModel model = new VlModel(sized, cfg.seed());
        if (imageTowerFrom != null && !(cfg.resume() && Files.isRegularFile(cfg.outDir().resolve(ClipTrainer.CHECKPOINT)))) {
            PretrainedStart.copyImageTower(imageTowerFrom, model);
        }
        VlPretraining pretraining = new VlPretraining(objectives, masking(tokenizer), what.swapNegatives()
                ? new SwappedCaptions(codedCaptions(data, tokenizer, config.text().maxPositions()),
                        new int[] {tokenizer.clsId(), tokenizer.sepId(), tokenizer.padId()}) : null);
        pretraining.check(model);
        AdamW optimizer = new AdamW(ParamGroups.withWeightDecay(TrainingLoop.trainable(model), cfg.lr(), cfg.weightDecay()));
        int maxLength = sized.text().maxPositions();
        BatchSampler sampler = new BatchSampler(data, caption -> BatchSampler.trimmed(tokenizer.encode(caption, maxLength).ids(),
                tokenizer.sepId()), maxLength, cfg.seed(), BatchAugment.of(cfg.augment(), data.imageSize()));
        Path checkpointFile = cfg.outDir().resolve(ClipTrainer.CHECKPOINT);
        // α ramps up over the first epoch, as ALBEF's
        MomentumDistillation momentum = what.momentumDistill()
                ? new MomentumDistillation(model, MOMENTUM, QUEUE, DISTILL_ALPHA, Math.max(1, data.size() / (cfg.batch() * cfg.accumulation())))
                : null;
        TrainingLoop.StepWork work = step -> {
            double total = 0;
            Map<String, Double> parts = new LinkedHashMap<>();
            for (int micro = 0; micro < cfg.accumulation(); micro++) {
                long number = step * cfg.accumulation() + micro;
                VlPretraining.Batch batch = batch(sampler.batch(number, cfg.batch()), data, tokenizer.padId(), sized.vision(), regions);
                VlPretraining.StepLosses losses = pretraining.forward(model, batch, new Rng(BatchSampler.mix(cfg.seed(), number, 0x5A17L)),
                        momentum, momentum == null ? 0 : momentum.alpha(step));
                float value = TrainingLoop.finite(losses.total().item(), step, checkpointFile);
                Tensor scaled = cfg.accumulation() == 1 ? losses.total() : losses.total().mul(1f / cfg.accumulation()); // ()
                scaled.backward();
                total += value / cfg.accumulation();
                losses.parts().forEach((name, v) -> parts.merge(name, v / cfg.accumulation(), Double::sum));
            }
            return new TrainingLoop.StepLoss(total, parts);
        };
        return TrainingLoop.run(model, model.logitScale(), sized.toJson(), optimizer, cfg, stopAt, momentum == null ? work : new TrainingLoop.StepWork() {
            @Override
            public TrainingLoop.StepLoss run(long step) throws IOException {
                return work.run(step);
            }

            @Override
            public void afterOptimizerStep() {
                momentum.update();
            }

            @Override
            public OptimizerState state() {
                return momentum.state();
            }

            @Override
            public void restore(OptimizerState state) {
                momentum.loadState(state);
            }
        }, listeners);
    }

    /** The run folder's vocabulary when resuming, else one built from the captions and written there. */
    static WordPieceTokenizer vocabulary(TrainConfig cfg, ImageTextData data, int maxTokens) throws IOException {
        Path file = cfg.outDir().resolve(VlRuns.VOCAB);
        if (!(cfg.resume() && Files.isRegularFile(file))) {
            List<String> captions = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) captions.addAll(data.captions(i));
            AtomicFiles.writeString(file, String.join("\n", CaptionVocabulary.build(captions, maxTokens)) + "\n");
        }
        return WordPieceTokenizer.fromVocabTxt(file, true);
    }

    /** Every caption of the data as the ids a batch carries (up to [SEP]). */
    private static List<int[]> codedCaptions(ImageTextData data, WordPieceTokenizer tokenizer, int maxLength) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            for (String caption : data.captions(i)) out.add(BatchSampler.trimmed(tokenizer.encode(caption, maxLength).ids(), tokenizer.sepId()));
        }
        return out;
    }

    /** BERT's masking over this vocabulary: special tokens first, then the ordinary ones. */
    public static MlmMasking masking(WordPieceTokenizer tokenizer) {
        return new MlmMasking(tokenizer.maskId(), CaptionVocabulary.SPECIALS.size(), tokenizer.vocabSize(),
                new int[] {tokenizer.clsId(), tokenizer.sepId(), tokenizer.padId()}, MLM_RATE);
    }

    /**
     * A sampled batch with its padding mask, which of its pairs match (same image, or a caption of
     * the image repeated), each patch's mean-colour bin and, when asked, each patch's region class.
     */
    private static VlPretraining.Batch batch(BatchSampler.Batch b, ImageTextData data, int padId, VisionConfig vision, boolean regions) {
        int n = b.imageIndex().length, t = b.length();
        boolean[] matches = new boolean[n * n]; // (B images, B texts)
        for (int i = 0; i < n; i++) {
            List<String> captions = data.captions(b.imageIndex()[i]);
            for (int j = 0; j < n; j++) {
                matches[i * n + j] = b.imageIndex()[i] == b.imageIndex()[j]
                        || captions.contains(data.captions(b.imageIndex()[j]).get(b.captionIndex()[j]));
            }
        }
        int grid = vision.grid(), p = grid * grid;
        int[] colours = PatchColours.bins(b.images().dense().array(), n, vision.imageSize(), vision.patchSize());
        int[] labels = null;
        if (regions) {
            labels = new int[n * p]; // (B, P)
            for (int i = 0; i < n; i++) System.arraycopy(((RegionLabelledData) data).regionLabels(b.imageIndex()[i], grid), 0, labels, i * p, p);
        }
        return new VlPretraining.Batch(b.images(), b.ids(), BatchSampler.paddingMask(b.ids(), n, t, padId), n, t, matches, colours, labels);
    }
}
