package dev.vireo.models.vqa;

import dev.vireo.engine.io.Checkpoint;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.generate.Generator;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.VlRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Generative question answering with a {@link GenerativeVqaModel} from a run folder that
 * {@code vireo finetune --task vqa --head generate} wrote (the VL model's {@code config.json}, its
 * {@value GenerativeVqaModel#DECODER_CONFIG}, the checkpoint and {@code vocab.txt}): images resized,
 * centre-cropped and normalised as in training; each question ([CLS] question [SEP], padded to the
 * batch's longest, the padding masked) fused with its image; the answer decoded from [CLS] until
 * [SEP] as {@link Generator} decodes (greedy, beams or sampling), then detokenised without special
 * tokens. {@code top} is empty: a generative model has no scored answer list.
 */
public final class GenerativeVqaAnswerer implements VisualQuestionAnswerer {
    /** Questions per decoding batch. */
    private static final int CHUNK = 64;

    private final GenerativeVqaModel model;
    private final WordPieceTokenizer tokenizer;
    private final ClipPreprocessor preprocessor;

    public GenerativeVqaAnswerer(GenerativeVqaModel model, WordPieceTokenizer tokenizer) {
        if (tokenizer.vocabSize() != model.config().text().vocabSize()) {
            throw new IllegalArgumentException("vqa: the tokenizer holds " + tokenizer.vocabSize() + " tokens but the model reads "
                    + model.config().text().vocabSize());
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.preprocessor = new ClipPreprocessor(ClipPreprocessConfig.openai(model.config().vision().imageSize()));
    }

    /** Whether {@code dir} is a Vireo VL run folder with an answer decoder. */
    public static boolean isGenerativeVqaRun(Path dir) {
        return VlRuns.isVlRun(dir) && Files.isRegularFile(dir.resolve(GenerativeVqaModel.DECODER_CONFIG));
    }

    public static GenerativeVqaAnswerer load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model folder " + dir + " does not exist");
        Path config = dir.resolve("config.json"), decoder = dir.resolve(GenerativeVqaModel.DECODER_CONFIG);
        Path ckpt = dir.resolve("checkpoint.safetensors"), vocab = dir.resolve(VlRuns.VOCAB);
        for (Path p : new Path[] {config, decoder, ckpt, vocab}) {
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("generative VQA model folder " + dir + " has no " + p.getFileName());
        }
        VlConfig vl = VlConfig.fromJson(config);
        BertConfig decoderConfig = GenerativeVqaModel.readDecoderConfig(decoder);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocabTxt(vocab, true);
        if (tokenizer.vocabSize() != vl.text().vocabSize()) {
            throw new IllegalArgumentException("generative VQA model folder " + dir + ": " + VlRuns.VOCAB + " holds " + tokenizer.vocabSize()
                    + " tokens but config.json says " + vl.text().vocabSize());
        }
        Checkpoint checkpoint = Checkpoint.load(ckpt);
        long held = checkpoint.model().values().stream().mapToLong(Tensor::numel).sum();
        if (vl.minimumParameters() + decoderConfig.minimumParameters() > held) { // before allocating
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the VL config (%s) and its answer decoder need at least %.0f weights but the"
                    + " checkpoint holds %d: the configs do not belong to these weights", dir, vl.name(), vl.minimumParameters()
                    + decoderConfig.minimumParameters(), held));
        }
        GenerativeVqaModel model = new GenerativeVqaModel(vl, decoderConfig, Rng.forLoadedWeights()); // restoreModel fails unless every weight is there
        Map<String, Tensor> params = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> params.put(k, p.value()));
        checkpoint.restoreModel(params);
        model.eval();
        return new GenerativeVqaAnswerer(model, tokenizer);
    }

    public GenerativeVqaModel model() {
        return model;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<Answer> answer(List<RgbImage> images, List<String> questions, int topK, GenerationConfig generation) {
        if (images.size() != questions.size()) {
            throw new IllegalArgumentException("vqa: " + images.size() + " images for " + questions.size() + " questions");
        }
        List<Answer> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += CHUNK) {
            int to = Math.min(images.size(), from + CHUNK);
            try (var ignored = GradMode.noGrad()) {
                Tensor tokens = model.imageTokens(preprocessor.toTensor(images.subList(from, to))); // (n, S, Cv)
                int[] same = new int[to - from];
                for (int i = 0; i < same.length; i++) same[i] = i;
                for (int[] row : answerIds(tokens, same, questions.subList(from, to), generation)) {
                    out.add(new Answer(tokenizer.decode(row), List.of()));
                }
            }
        }
        return out;
    }

    /**
     * The decoded ids ([CLS] answer [SEP], padded to the batch's longest) of question k about image
     * {@code imageIndex[k]} of image tokens (N, S, Cv) from {@link GenerativeVqaModel#imageTokens}.
     */
    public int[][] answerIds(Tensor imageTokens, int[] imageIndex, List<String> questions, GenerationConfig generation) {
        if (imageIndex.length != questions.size()) {
            throw new IllegalArgumentException("vqa: " + imageIndex.length + " images for " + questions.size() + " questions");
        }
        int positions = model.decoderConfig().maxPositions();
        if (1 + generation.maxNewTokens() > positions) {
            throw new IllegalArgumentException("vqa: " + generation.maxNewTokens() + " new tokens are more than the answer decoder's "
                    + (positions - 1) + " positions after [CLS]");
        }
        int n = questions.size();
        if (n == 0) return new int[0][];
        try (var ignored = GradMode.noGrad()) {
            TokenBatch batch = tokenizer.batch(questions, model.config().text().maxPositions(), true);
            int t = batch.length();
            float[] maskValues = new float[n * t]; // (N, T)
            boolean padded = false;
            for (int i = 0; i < maskValues.length; i++) {
                maskValues[i] = batch.attentionMask()[i];
                padded |= maskValues[i] == 0;
            }
            Tensor mask = padded ? Tensor.of(maskValues, n, t) : null;                         // (N, T)
            Tensor images = imageTokens.indexSelect(0, imageIndex);                             // (N, S, Cv)
            GenerativeVqaModel.Questions states = model.questions(batch.ids(), mask, n, t, images); // (N, T', C)
            int[] start = new int[n];
            Arrays.fill(start, tokenizer.clsId());
            return Generator.generate(model.answerDecoder(states), start, n, 1, generation, tokenizer.sepId(), tokenizer.padId());
        }
    }
}
