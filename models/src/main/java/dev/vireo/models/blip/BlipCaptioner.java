package dev.vireo.models.blip;

import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.ImageCaptioner;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.generate.Generator;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Hugging Face {@code BlipForConditionalGeneration} folder (as {@code save_pretrained} writes it,
 * with its processor's files) as an {@link ImageCaptioner}, decoding as transformers'
 * {@code BlipForConditionalGeneration.generate} does: the image states of the vision tower; the
 * prompt tokenized by the processor ([CLS] prompt [SEP]), [CLS] replaced by [DEC] ({@code bos_token_id})
 * and the trailing [SEP] dropped (no prompt: [DEC] alone); then the text decoder's {@code generate}
 * with eos = {@code sep_token_id} and pad = {@code pad_token_id} ({@link Generator}). The ids are
 * the rows transformers returns for the batch, prompt included and padded to the batch's longest
 * row; the text is {@code decode(ids, skip_special_tokens=True)}. Images are decoded 16 to a batch.
 * Weights stay memory-mapped (read-only) until {@link #close()}.
 */
public final class BlipCaptioner implements ImageCaptioner {
    /** Images per decoding batch: bounds the activations and caches of a long list. */
    private static final int CHUNK = 16;

    private final BlipCaptionModel model;
    private final BlipProcessor processor;
    private final SafetensorsReader weights;
    private boolean closed;

    private BlipCaptioner(BlipCaptionModel model, BlipProcessor processor, SafetensorsReader weights) {
        this.model = model;
        this.processor = processor;
        this.weights = weights;
        ComputeProvider.get().register(parameters());
    }

    /**
     * Loads a folder: config.json ({@code model_type} "blip", {@code BlipForConditionalGeneration}),
     * model.safetensors, tokenizer.json or vocab.txt, and preprocessor_config.json or
     * processor_config.json. A config far bigger than the weights is refused before anything is
     * allocated; a missing, unexpected or mis-shaped tensor is a one-line error naming it.
     */
    public static BlipCaptioner load(Path folder) throws IOException {
        Path weightsFile = BlipWeights.weightsOf(folder);
        BlipDecoderConfig config = BlipDecoderConfig.read(folder.resolve("config.json"));
        BlipProcessor processor = BlipProcessor.load(folder, config.blip());
        int vocab = config.blip().text().vocabSize();
        if (processor.tokenizer().vocabSize() < vocab) {
            throw new IllegalArgumentException("BLIP folder " + folder + ": the tokenizer knows " + processor.tokenizer().vocabSize()
                    + " tokens but the decoder writes " + vocab);
        }
        SafetensorsReader reader = SafetensorsReader.open(weightsFile);
        try {
            return new BlipCaptioner(build(config, reader, weightsFile.toString()), processor, reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private static BlipCaptionModel build(BlipDecoderConfig config, SafetensorsReader reader, String source) {
        config.checkFits(BlipWeights.held(reader, BlipCaptioner::ignored), source); // before allocating
        BlipCaptionModel model = new BlipCaptionModel(Rng.forLoadedWeights(), config); // every tensor is loaded below, or this fails
        BlipWeights.load(model, reader, BlipCaptioner::ignored, source, "BlipForConditionalGeneration of this config ("
                + config.blip().vision().layers() + " vision and " + config.blip().text().layers() + " text layers)");
        return model;
    }

    /** Recomputed buffers and the LM head's tied copies. */
    private static boolean ignored(String name) {
        return BlipWeights.recomputed(name) || BlipWeights.tiedCopy(name);
    }

    private List<Tensor> parameters() {
        return model.namedParameters().values().stream().map(Parameter::value).toList();
    }

    public BlipCaptionModel model() {
        return model;
    }

    public BlipProcessor processor() {
        return processor;
    }

    /**
     * The decoder's prompt: [DEC] then the prompt's tokens, as BlipForConditionalGeneration.generate
     * makes it from the processor's [CLS] prompt [SEP]; [DEC] alone for an empty or blank prompt.
     */
    public int[] promptIds(String prompt) {
        BlipDecoderConfig c = model.config();
        if (prompt == null || prompt.isBlank()) return new int[] {c.bosId()};
        TokenBatch tokens = processor.tokenize(List.of(prompt));
        int[] ids = Arrays.copyOf(tokens.ids(), tokens.length() - 1); // the trailing [SEP] dropped
        ids[0] = c.bosId();                                           // [CLS] becomes [DEC]
        return ids;
    }

    @Override
    public List<Caption> caption(List<RgbImage> images, String prompt, GenerationConfig generation) {
        int[] promptIds = promptIds(prompt);
        int positions = model.config().blip().text().maxPositions();
        if (promptIds.length + generation.maxNewTokens() > positions) {
            throw new IllegalArgumentException("BLIP: a prompt of " + promptIds.length + " tokens and " + generation.maxNewTokens()
                    + " new tokens are more than the decoder's " + positions + " positions");
        }
        List<Caption> out = new ArrayList<>(images.size());
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < images.size(); from += CHUNK) {
                List<RgbImage> chunk = images.subList(from, Math.min(images.size(), from + CHUNK));
                out.addAll(captionChunk(chunk, promptIds, generation));
            }
        }
        return out;
    }

    /** One batch: the vision tower once, then decoding over every image's rows. */
    private List<Caption> captionChunk(List<RgbImage> images, int[] promptIds, GenerationConfig generation) {
        int b = images.size(), t = promptIds.length;
        Tensor states = model.imageStates(processor.pixelValues(images)); // (B, S, Cv)
        int[] prompts = new int[b * t];                                     // (B, T)
        for (int i = 0; i < b; i++) System.arraycopy(promptIds, 0, prompts, i * t, t);
        BlipDecoderConfig c = model.config();
        int[][] rows = Generator.generate(model.decoder().decoder(states), prompts, b, t, generation, c.sepId(), c.padId());
        List<Caption> out = new ArrayList<>(b);
        for (int[] row : rows) out.add(new Caption(processor.tokenizer().decode(row), row));
        return out;
    }

    /** Releases the weights from the compute provider and unmaps them; the captioner is unusable afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        ComputeProvider.get().release(parameters());
        weights.close();
    }
}
