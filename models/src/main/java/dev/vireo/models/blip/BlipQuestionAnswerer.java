package dev.vireo.models.blip;

import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.generate.Generator;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.vqa.VisualQuestionAnswerer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Hugging Face {@code BlipForQuestionAnswering} folder as a generative
 * {@link VisualQuestionAnswerer}, answering as transformers' {@code BlipForQuestionAnswering.generate}
 * does: the image states; the question as the processor tokenizes it ([CLS] question [SEP], padded
 * to the batch's longest) through the text encoder, cross-attending to the image; then the text
 * decoder's {@code generate} from [DEC] alone, cross-attending to every question position (padding
 * included: transformers' question mask is all ones, so in a batch of unequal questions a short one's
 * answer sees its padded states), with eos = [SEP] and pad = {@code pad_token_id}. The answer is the
 * decoded ids without special tokens; {@code top} is empty. Pairs are answered 16 to a batch.
 */
public final class BlipQuestionAnswerer implements VisualQuestionAnswerer {
    private static final int CHUNK = 16;

    private final BlipVqaModel model;
    private final BlipProcessor processor;
    private final SafetensorsReader weights;
    private boolean closed;

    private BlipQuestionAnswerer(BlipVqaModel model, BlipProcessor processor, SafetensorsReader weights) {
        this.model = model;
        this.processor = processor;
        this.weights = weights;
        ComputeProvider.get().register(parameters());
    }

    /**
     * Loads a folder: config.json ({@code model_type} "blip", {@code BlipForQuestionAnswering}),
     * model.safetensors, tokenizer.json or vocab.txt, and the image processor's settings; every
     * tensor's name and shape checked, a problem reported in one line.
     */
    public static BlipQuestionAnswerer load(Path folder) throws IOException {
        Path weightsFile = BlipWeights.weightsOf(folder);
        BlipDecoderConfig config = BlipDecoderConfig.read(folder.resolve("config.json"), "BlipForQuestionAnswering");
        if (config.blip().text().hidden() != config.blip().vision().hidden()) {
            throw new IllegalArgumentException("BLIP folder " + folder + ": the text and vision widths differ ("
                    + config.blip().text().hidden() + ", " + config.blip().vision().hidden() + "); transformers' VQA model needs them equal");
        }
        BlipProcessor processor = BlipProcessor.load(folder, config.blip());
        if (processor.tokenizer().vocabSize() < config.blip().text().vocabSize()) {
            throw new IllegalArgumentException("BLIP folder " + folder + ": the tokenizer knows " + processor.tokenizer().vocabSize()
                    + " tokens but the decoder writes " + config.blip().text().vocabSize());
        }
        SafetensorsReader reader = SafetensorsReader.open(weightsFile);
        try {
            String source = weightsFile.toString();
            config.checkFits(BlipWeights.held(reader, BlipQuestionAnswerer::ignored), source); // before allocating
            BlipVqaModel model = new BlipVqaModel(Rng.forLoadedWeights(), config); // every tensor is loaded below, or this fails
            BlipWeights.load(model, reader, BlipQuestionAnswerer::ignored, source, "BlipForQuestionAnswering of this config ("
                    + config.blip().vision().layers() + " vision and " + config.blip().text().layers() + " text layers)");
            return new BlipQuestionAnswerer(model, processor, reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private static boolean ignored(String name) {
        return BlipWeights.recomputed(name) || BlipWeights.tiedCopy(name);
    }

    private List<Tensor> parameters() {
        return model.namedParameters().values().stream().map(Parameter::value).toList();
    }

    public BlipVqaModel model() {
        return model;
    }

    public BlipProcessor processor() {
        return processor;
    }

    @Override
    public List<Answer> answer(List<RgbImage> images, List<String> questions, int topK, GenerationConfig generation) {
        if (images.size() != questions.size()) {
            throw new IllegalArgumentException("BLIP: " + images.size() + " images for " + questions.size() + " questions; give one of each");
        }
        int positions = model.config().blip().text().maxPositions();
        if (1 + generation.maxNewTokens() > positions) {
            throw new IllegalArgumentException("BLIP: " + generation.maxNewTokens() + " new tokens are more than the decoder's "
                    + (positions - 1) + " positions after [DEC]");
        }
        List<Answer> out = new ArrayList<>(images.size());
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < images.size(); from += CHUNK) {
                int to = Math.min(images.size(), from + CHUNK);
                for (int[] row : answerIds(images.subList(from, to), questions.subList(from, to), generation)) {
                    out.add(new Answer(processor.tokenizer().decode(row), List.of()));
                }
            }
        }
        return out;
    }

    /** The ids transformers' generate returns for one batch: [DEC] answer [SEP], padded to the batch's longest. */
    public int[][] answerIds(List<RgbImage> images, List<String> questions, GenerationConfig generation) {
        try (var ignored = GradMode.noGrad()) {
            int b = images.size();
            Tensor imageStates = model.imageStates(processor.pixelValues(images)); // (B, S, Cv)
            TokenBatch tokens = processor.tokenize(questions);
            int t = tokens.length();
            float[] maskValues = new float[b * t]; // (B, T)
            for (int i = 0; i < maskValues.length; i++) maskValues[i] = tokens.attentionMask()[i];
            Tensor questionStates = model.questionStates(tokens.ids(), Tensor.of(maskValues, b, t), b, t, imageStates); // (B, T, C)
            int[] start = new int[b];
            Arrays.fill(start, model.config().bosId());
            BlipDecoderConfig c = model.config();
            return Generator.generate(model.decoder().decoder(questionStates), start, b, 1, generation, c.sepId(), c.padId());
        }
    }

    /** Releases the weights from the compute provider and unmaps them; unusable afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        ComputeProvider.get().release(parameters());
        weights.close();
    }
}
