package dev.vireo.models.train;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.io.AtomicFiles;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.optim.AdamW;
import dev.vireo.engine.optim.ParamGroups;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.CaptionRuns;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.generate.LanguageModelLoss;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.VlModel;
import dev.vireo.models.vl.VlRuns;
import dev.vireo.models.vqa.AnswerVocabulary;
import dev.vireo.models.vqa.GenerativeVqaModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains a fusion encoder to answer questions about images with one of two heads ({@link Head}):
 * as ViLT, a classifier over the training data's most frequent answers ({@link AnswerVocabulary},
 * written to the run folder) on the fused [CLS], binary cross-entropy against each question's soft
 * answer scores, times the number of answers (ViLT's loss scale); or as BLIP
 * ({@link #trainGenerative}), an answer decoder writing the answer while it cross-attends to the
 * fused question. The text vocabulary is built from the questions ({@code vocab.txt}); the loop is the one every trainer shares (AdamW, warm-up + cosine, clipping, atomic checkpoints
 * with exact resume, JSONL, listeners). A batch asks k distinct questions of each of its B / k images
 * ({@link QuestionBatches}), so the image tower runs once for k questions; it is a pure function of
 * (seed, step).
 */
public final class VqaTrainer {
    /** The run folder's record of the task, compared on resume. */
    public static final String TASK = "task.txt";

    private VqaTrainer() {}

    /** How a run answers: ViLT's classifier on the fused [CLS], or BLIP's answer decoder over the fused question states. */
    public enum Head {
        CLASSIFY, GENERATE;

        /** classify or generate, or a one-line error naming both. */
        public static Head parse(String name) {
            return switch (name) {
                case "classify" -> CLASSIFY;
                case "generate" -> GENERATE;
                default -> throw new IllegalArgumentException("vqa: the head must be classify or generate, got '" + name + "'");
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where training starts: a fresh model of {@code config}; the weights of a pretrained VL run
     * ({@code from}, a run folder of {@code vireo pretrain}) whose vocabulary grows by the questions'
     * new words (new embedding rows start random, as ViLT's new classifier does); or a fresh model
     * whose image tower is a captioner's ({@code imageTowerFrom}, a run folder of {@code vireo
     * finetune --task caption}: captioning teaches the tower what each object is and where, as
     * BLIP's and CoCa's language-modelling objectives do).
     */
    public record Start(VlConfig config, Path from, Path imageTowerFrom) {
        public static Start fresh(VlConfig config) {
            return new Start(config, null, null);
        }

        public static Start pretrained(Path run) throws IOException {
            return new Start(VlRuns.load(run).model().config(), run, null);
        }

        /** {@code config} with the image tower of the captioner in {@code captionRun}, whose vision config must equal {@code config}'s. */
        public static Start imageTowerOf(Path captionRun, VlConfig config) throws IOException {
            Path configFile = captionRun.resolve("config.json");
            if (!CaptionRuns.isCaptionRun(captionRun)) throw new IllegalArgumentException("image tower: " + captionRun + " is not a caption run folder");
            var vision = CaptionConfig.fromJson(configFile).vision(); // the config alone: the weights are read once, when copied
            if (!vision.equals(config.vision())) {
                throw new IllegalArgumentException("image tower: the captioner in " + captionRun + " has another image tower (" + vision + ") than "
                        + config.name() + " (" + config.vision() + ")");
            }
            return new Start(config, null, captionRun);
        }
    }

    /** One question per image per batch. */
    public static ClipTrainer.Result<VlModel> train(VlConfig config, QuestionAnswerData data, int maxAnswers, TrainConfig cfg,
                                                    TrainListener... listeners) throws IOException {
        return train(Start.fresh(config), data, maxAnswers, 1, cfg, cfg.steps(), listeners);
    }

    public static ClipTrainer.Result<VlModel> train(VlConfig config, QuestionAnswerData data, int maxAnswers, TrainConfig cfg, long stopAt,
                                                    TrainListener... listeners) throws IOException {
        return train(Start.fresh(config), data, maxAnswers, 1, cfg, stopAt, listeners);
    }

    /**
     * From {@code start}, at most {@code maxAnswers} answers, {@code questionsPerImage} questions of
     * each image in a batch (the batch counts questions), stopping (and checkpointing) at step {@code stopAt}.
     */
    public static ClipTrainer.Result<VlModel> train(Start start, QuestionAnswerData data, int maxAnswers, int questionsPerImage, TrainConfig cfg,
                                                    long stopAt, TrainListener... listeners) throws IOException {
        VlConfig config = start.config();
        prepare(config, data, questionsPerImage, cfg, "vqa, " + questionsPerImage + " questions per image");
        Files.deleteIfExists(cfg.outDir().resolve(GenerativeVqaModel.DECODER_CONFIG)); // a fresh run in a generative run's folder: it is a classifier now
        WordPieceTokenizer tokenizer = start.from() == null ? VlTrainer.vocabulary(cfg, data, config.text().vocabSize())
                : PretrainedStart.vocabulary(cfg, data, start.from());
        AnswerVocabulary answers = answers(cfg, data, maxAnswers);
        VlConfig sized = config.withVocabSize(tokenizer.vocabSize()).withAnswerClasses(answers.size());
        if (start.from() == null) sized = sized.withRegionClasses(0);
        VlModel model = new VlModel(sized, cfg.seed());
        if (start.from() != null) PretrainedStart.copyWeights(start.from(), model);
        if (start.imageTowerFrom() != null) PretrainedStart.copyImageTower(start.imageTowerFrom(), model);
        QuestionBatches sampler = sampler(data, tokenizer, sized, questionsPerImage, cfg);
        TrainingLoop.StepWork work = steps(cfg, b -> loss(model, b, data, answers, tokenizer.padId()), sampler);
        return TrainingLoop.run(model, model.logitScale(), sized.toJson(), optimizer(model, cfg), cfg, stopAt, work, listeners);
    }

    /**
     * BLIP's generative head from {@code start}: an answer decoder ({@link GenerativeVqaModel})
     * writes "[CLS] answer [SEP]" cross-attending to the fused question states, trained with BLIP's
     * answer loss ({@link AnswerTargets}); the text vocabulary holds the answers' words as well as the
     * questions'. The decoder starts fresh (the text stack's shape) or, with {@code decoderFrom} (a
     * captioner's run folder), as that captioner's decoder, as BLIP's starts from its captioning
     * decoder. The decoder's config is kept in the run folder ({@value GenerativeVqaModel#DECODER_CONFIG}).
     */
    public static ClipTrainer.Result<GenerativeVqaModel> trainGenerative(Start start, Path decoderFrom, QuestionAnswerData data, int questionsPerImage,
                                                                         TrainConfig cfg, long stopAt, TrainListener... listeners) throws IOException {
        VlConfig config = start.config();
        prepare(config, data, questionsPerImage, cfg, "vqa, generate head, " + questionsPerImage + " questions per image");
        Files.deleteIfExists(cfg.outDir().resolve(AnswerVocabulary.FILE)); // a fresh run in a classifier's folder: no answer list now
        ImageTextData texts = new QuestionsAndAnswers(data);
        WordPieceTokenizer tokenizer = start.from() == null ? VlTrainer.vocabulary(cfg, texts, config.text().vocabSize())
                : PretrainedStart.vocabulary(cfg, texts, start.from());
        VlConfig sized = config.withVocabSize(tokenizer.vocabSize()).withAnswerClasses(0);
        if (start.from() == null) sized = sized.withRegionClasses(0);
        BertConfig decoderConfig = decoderFrom != null ? AnswerDecoderStart.decoderConfig(decoderFrom, sized)
                : GenerativeVqaModel.decoderConfig(sized, sized.text().layers());
        AtomicFiles.writeString(cfg.outDir().resolve(GenerativeVqaModel.DECODER_CONFIG), GenerativeVqaModel.decoderJson(decoderConfig) + "\n");
        GenerativeVqaModel model = new GenerativeVqaModel(sized, decoderConfig, cfg.seed());
        if (start.from() != null) PretrainedStart.copyWeights(start.from(), model.fusion());
        if (start.imageTowerFrom() != null) PretrainedStart.copyImageTower(start.imageTowerFrom(), model.fusion());
        if (decoderFrom != null) AnswerDecoderStart.copy(decoderFrom, Files.readAllLines(cfg.outDir().resolve(VlRuns.VOCAB)).stream()
                .filter(l -> !l.isEmpty()).toList(), model);
        QuestionBatches sampler = sampler(data, tokenizer, sized, questionsPerImage, cfg);
        var coder = AnswerTargets.coder(tokenizer, decoderConfig.maxPositions());
        TrainingLoop.StepWork work = steps(cfg, b -> generativeLoss(model, b, AnswerTargets.of(b, data, coder, tokenizer.padId()), tokenizer.padId()),
                sampler);
        return TrainingLoop.run(model, model.fusion().logitScale(), sized.toJson(), optimizer(model, cfg), cfg, stopAt, work, listeners);
    }

    /** The checks both heads share, then the run folder's task record (compared on resume) and data report. */
    private static void prepare(VlConfig config, QuestionAnswerData data, int questionsPerImage, TrainConfig cfg, String described) throws IOException {
        ClipTrainer.checkData(data, cfg, config.vision().imageSize(), config.name());
        if (config.fusion().equals("late")) throw new IllegalArgumentException("vqa: late fusion has no fused [CLS] to answer from; use early or mid");
        if (cfg.lockImage() || cfg.lockText()) throw new IllegalArgumentException("vqa: --lock-image and --lock-text are for contrastive training");
        Files.createDirectories(cfg.outDir());
        if (cfg.batch() % questionsPerImage != 0) {
            throw new IllegalArgumentException("vqa: the batch (" + cfg.batch() + ") must be a multiple of the questions per image (" + questionsPerImage + ")");
        }
        Path task = cfg.outDir().resolve(TASK);
        if (cfg.resume() && Files.isRegularFile(task) && !Files.readString(task).strip().equals(described)) {
            throw new IllegalArgumentException("vqa: the run in " + cfg.outDir() + " trained " + Files.readString(task).strip() + ", not " + described);
        }
        AtomicFiles.writeString(task, described + "\n");
        DataReport.write(cfg.outDir(), data);
    }

    private static QuestionBatches sampler(QuestionAnswerData data, WordPieceTokenizer tokenizer, VlConfig config, int questionsPerImage, TrainConfig cfg) {
        int maxLength = config.text().maxPositions();
        return new QuestionBatches(data, question -> BatchSampler.trimmed(tokenizer.encode(question, maxLength).ids(), tokenizer.sepId()), maxLength,
                cfg.seed(), BatchAugment.of(cfg.augment(), data.imageSize()), questionsPerImage);
    }

    private static AdamW optimizer(Module model, TrainConfig cfg) {
        return new AdamW(ParamGroups.withWeightDecay(TrainingLoop.trainable(model), cfg.lr(), cfg.weightDecay()));
    }

    /** One optimiser step's work: the loss of each micro-batch, backpropagated, averaged over the accumulation. */
    private static TrainingLoop.StepWork steps(TrainConfig cfg, Function<QuestionBatches.Batch, Tensor> lossOf, QuestionBatches sampler) {
        Path checkpointFile = cfg.outDir().resolve(ClipTrainer.CHECKPOINT);
        return step -> {
            double total = 0;
            for (int micro = 0; micro < cfg.accumulation(); micro++) {
                QuestionBatches.Batch b = sampler.batch(step * cfg.accumulation() + micro, cfg.batch());
                Tensor loss = lossOf.apply(b); // ()
                float value = TrainingLoop.finite(loss.item(), step, checkpointFile);
                (cfg.accumulation() == 1 ? loss : loss.mul(1f / cfg.accumulation())).backward();
                total += value / cfg.accumulation();
            }
            return new TrainingLoop.StepLoss(total, Map.of());
        };
    }

    /** BLIP's answer loss of one batch: the questions fused with their images, then the answers' rows ({@link AnswerTargets}). */
    static Tensor generativeLoss(GenerativeVqaModel model, QuestionBatches.Batch b, AnswerTargets answers, int padId) {
        int n = b.imageIndex().length, t = b.length();
        Tensor textMask = BatchSampler.paddingMask(b.ids(), n, t, padId);      // (B, T) or null
        Tensor perImage = model.imageTokens(b.images());                         // (B / k, S, Cv)
        Tensor image = b.images().size(0) == n ? perImage : perImage.indexSelect(0, b.imageRow()); // (B, S, Cv)
        GenerativeVqaModel.Questions questions = model.questions(b.ids(), textMask, n, t, image);  // (B, T', C)
        return answers.loss(model, questions, padId, LanguageModelLoss.BLIP_LABEL_SMOOTHING);      // ()
    }

    /** The questions with each question's answers as further captions: what the generative head's vocabulary is built from. */
    private record QuestionsAndAnswers(QuestionAnswerData data) implements ImageTextData {
        @Override
        public int size() {
            return data.size();
        }

        @Override
        public int imageSize() {
            return data.imageSize();
        }

        @Override
        public void image(int index, float[] dst, int off) {
            data.image(index, dst, off);
        }

        @Override
        public List<String> captions(int index) {
            List<String> out = new ArrayList<>(data.captions(index));
            for (int q = 0; q < data.captions(index).size(); q++) {
                for (QuestionAnswerData.ScoredAnswer a : data.answers(index, q)) out.add(a.answer());
            }
            return out;
        }
    }

    /** ViLT's loss of one batch: BCE-with-logits of the answer logits against the soft scores, times the answer count. */
    static Tensor loss(VlModel model, QuestionBatches.Batch b, QuestionAnswerData data, AnswerVocabulary answers, int padId) {
        int n = b.imageIndex().length, t = b.length(), a = answers.size();
        Tensor textMask = BatchSampler.paddingMask(b.ids(), n, t, padId);      // (B, T) or null
        float[] targets = new float[n * a];                                     // (B, A)
        for (int j = 0; j < n; j++) {
            for (QuestionAnswerData.ScoredAnswer s : data.answers(b.imageIndex()[j], b.questionIndex()[j])) {
                int id = answers.id(s.answer());
                if (id >= 0) targets[j * a + id] = Math.max(targets[j * a + id], s.score());
            }
        }
        Tensor perImage = model.imageTokens(b.images());                         // (B / k, S, Cv)
        Tensor image = b.images().size(0) == n ? perImage : perImage.indexSelect(0, b.imageRow()); // (B, S, Cv)
        Tensor text = model.textTokens(b.ids(), textMask, n, t);                 // (B, T, C)
        Tensor logits = model.answerLogits(text, textMask, image);               // (B, A)
        return Losses.binaryCrossEntropyWithLogits(logits, targets).mul(a);     // ()
    }

    /** The run folder's answers when resuming, else the training data's most frequent, written there. */
    private static AnswerVocabulary answers(TrainConfig cfg, QuestionAnswerData data, int maxAnswers) throws IOException {
        Path file = cfg.outDir().resolve(AnswerVocabulary.FILE);
        if (cfg.resume() && Files.isRegularFile(file)) return AnswerVocabulary.read(file);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            for (int q = 0; q < data.captions(i).size(); q++) {
                for (QuestionAnswerData.ScoredAnswer s : data.answers(i, q)) all.add(s.answer());
            }
        }
        AnswerVocabulary vocabulary = AnswerVocabulary.mostFrequent(all, maxAnswers);
        vocabulary.write(file);
        return vocabulary;
    }
}
