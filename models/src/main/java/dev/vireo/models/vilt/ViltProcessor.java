package dev.vireo.models.vilt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.io.OneLine;
import dev.vireo.models.config.JsonErrors;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What transformers' {@code ViltProcessor} does before the model: the images through
 * {@link ViltImageProcessor}, the questions through BERT's WordPiece tokenizer ([CLS] question
 * [SEP], uncased, token types all 0), padded with [PAD] to the longest question of the batch.
 * transformers does not truncate by default and its model fails past
 * {@code max_position_embeddings} (40); here such a question is cut there.
 */
public final class ViltProcessor {
    private final ViltImageProcessor images;
    private final WordPieceTokenizer tokenizer;
    private final int maxLength;

    public ViltProcessor(ViltImageProcessor images, WordPieceTokenizer tokenizer, int maxLength) {
        if (maxLength < 2) throw new IllegalArgumentException("ViltProcessor: max length " + maxLength + " leaves no room for [CLS] and [SEP]");
        this.images = images;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /**
     * The processor of a saved folder: the image settings from {@code preprocessor_config.json} or,
     * as transformers 5 saves them, the {@code image_processor} object of {@code processor_config.json};
     * the tokenizer from {@code tokenizer.json}, else {@code vocab.txt} (lower-cased unless
     * tokenizer_config.json says {@code do_lower_case: false}). A vocabulary larger than the model's
     * word table is refused: its ids would index past it.
     */
    public static ViltProcessor load(Path dir, ViltConfig config) throws IOException {
        WordPieceTokenizer tokenizer = tokenizer(dir);
        if (tokenizer.vocabSize() > config.text().vocabSize()) {
            throw new IllegalArgumentException(OneLine.of(dir + ": the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's word embeddings only " + config.text().vocabSize()));
        }
        return new ViltProcessor(imageProcessor(dir), tokenizer, config.text().maxPositions());
    }

    static ViltImageProcessor imageProcessor(Path dir) throws IOException {
        Path file = dir.resolve("preprocessor_config.json");
        JsonNode node;
        if (Files.isRegularFile(file)) {
            node = json(file);
        } else {
            file = dir.resolve("processor_config.json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(OneLine.of(dir + ": no preprocessor_config.json or processor_config.json (the image processor's settings)"));
            }
            node = json(file).get("image_processor");
            if (node == null) throw new IllegalArgumentException(OneLine.of(file + ": no image_processor object"));
        }
        return ViltImageProcessor.fromJson(node, file.toString());
    }

    private static WordPieceTokenizer tokenizer(Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) return WordPieceTokenizer.fromTokenizerJson(json);
        Path vocab = dir.resolve("vocab.txt");
        if (!Files.isRegularFile(vocab)) throw new IllegalArgumentException(OneLine.of(dir + ": no tokenizer.json and no vocab.txt"));
        Path configFile = dir.resolve("tokenizer_config.json");
        boolean lower = !Files.isRegularFile(configFile) || json(configFile).path("do_lower_case").asBoolean(true);
        return WordPieceTokenizer.fromVocabTxt(vocab, lower);
    }

    private static JsonNode json(Path file) throws IOException {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException | CharConversionException e) {
            throw new IllegalArgumentException(OneLine.of(file + ": not valid JSON: " + JsonErrors.oneLine(e)), e);
        }
    }

    /** One image alone as the model's float pixels (3, h, w), channels first. */
    public float[] pixelValues(RgbImage image) {
        return images.pixelValues(image); // (3, h, w)
    }

    /** A batch of images → padded pixels (B, 3, H, W) and each image's own size. */
    public ViltImageProcessor.Pixels pixelValues(List<RgbImage> batch) {
        return images.batch(batch);
    }

    /** The questions' ids and attention mask (B, T), T the longest row's length (at most the model's positions). */
    public TokenBatch tokenize(List<String> questions) {
        return tokenizer.batch(questions, maxLength, true);
    }

    public ViltImageProcessor images() {
        return images;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The longest token sequence kept ([CLS] and [SEP] included). */
    public int maxLength() {
        return maxLength;
    }
}
