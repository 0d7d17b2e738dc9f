package dev.vireo.models.blip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.OneLine;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.JsonErrors;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.text.WordPieceTokenizer;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What transformers' {@code BlipProcessor} does before the model. Images: {@code BlipImageProcessor}
 * (its PIL backend, which runs without torchvision) resizes to exactly height x width with the
 * configured PIL filter (bicubic), no crop, then rescales by 1/255 and normalises with the CLIP
 * mean and std; this is {@link ClipPreprocessor} with BLIP's defaults, so the uint8 resize is
 * bit-exact with Pillow. Texts: the BERT WordPiece tokenizer of tokenizer.json (uncased, BLIP's
 * [DEC] and [ENC] as special added tokens), [CLS] text [SEP], no token type ids, padded with [PAD]
 * to the longest text of the batch ({@code padding=True}). transformers does not truncate by
 * default and its model fails past {@code max_position_embeddings}; here such a text is cut there.
 */
public final class BlipProcessor {
    private final ClipPreprocessor images;
    private final WordPieceTokenizer tokenizer;
    private final int maxLength;

    public BlipProcessor(ClipPreprocessConfig imageConfig, WordPieceTokenizer tokenizer, int maxLength) {
        if (maxLength < 2) throw new IllegalArgumentException("BlipProcessor: max length " + maxLength + " leaves no room for [CLS] and [SEP]");
        this.images = new ClipPreprocessor(imageConfig);
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /**
     * The processor of a saved folder: the image settings from {@code preprocessor_config.json} or,
     * as transformers 5 saves them, the {@code image_processor} object of {@code processor_config.json};
     * the tokenizer from {@code tokenizer.json}, else {@code vocab.txt}. The images it makes must be the
     * model's {@code image_size} square.
     */
    public static BlipProcessor load(Path dir, BlipConfig config) throws IOException {
        ClipPreprocessConfig imageConfig = imageConfig(dir);
        int size = config.vision().imageSize();
        int h = imageConfig.doCenterCrop() ? imageConfig.cropHeight() : imageConfig.resizeHeight();
        int w = imageConfig.doCenterCrop() ? imageConfig.cropWidth() : imageConfig.resizeWidth();
        boolean fixed = imageConfig.doCenterCrop() || imageConfig.doResize() && imageConfig.shortestEdge() <= 0;
        if (!fixed || h != size || w != size) {
            throw new IllegalArgumentException(OneLine.of(dir + ": the image processor makes " + (fixed ? h + "x" + w + " images" : "images of varying size")
                    + " but the vision model takes " + size + "x" + size));
        }
        return new BlipProcessor(imageConfig, tokenizer(dir), config.text().maxPositions());
    }

    /** The image processor's settings with BLIP's defaults (384 x 384, no crop) where the JSON has none. */
    static ClipPreprocessConfig imageConfig(Path dir) throws IOException {
        Path file = dir.resolve("preprocessor_config.json");
        JsonNode node;
        if (Files.isRegularFile(file)) {
            node = json(file);
        } else {
            file = dir.resolve("processor_config.json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(dir + ": no preprocessor_config.json or processor_config.json (the image processor's settings)");
            }
            node = json(file).get("image_processor");
            if (node == null) throw new IllegalArgumentException(file + ": no image_processor object");
        }
        if (!node.isObject()) throw new IllegalArgumentException(file + ": the image processor's settings are not a JSON object");
        ObjectNode blip = ((ObjectNode) node).deepCopy();
        JsonNode size = blip.get("size");
        if (size == null || size.isNull()) {
            blip.putObject("size").put("height", 384).put("width", 384);
        } else if (size.isInt()) { // default_to_square: an int is a square, not a shortest edge
            blip.putObject("size").put("height", size.intValue()).put("width", size.intValue());
        }
        if (!blip.hasNonNull("do_center_crop")) blip.put("do_center_crop", false);
        return ClipPreprocessConfig.fromJson(blip, file.toString());
    }

    private static WordPieceTokenizer tokenizer(Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) return WordPieceTokenizer.fromTokenizerJson(json);
        Path vocab = dir.resolve("vocab.txt");
        if (!Files.isRegularFile(vocab)) throw new IllegalArgumentException(dir + ": no tokenizer.json and no vocab.txt");
        Path configFile = dir.resolve("tokenizer_config.json");
        boolean lower = !Files.isRegularFile(configFile) || json(configFile).path("do_lower_case").asBoolean(true);
        return WordPieceTokenizer.fromVocabTxt(vocab, lower);
    }

    private static JsonNode json(Path file) throws IOException {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException | CharConversionException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + JsonErrors.oneLine(e), e);
        }
    }

    /** One image as the model's float pixels (3, S, S), channels first. */
    public float[] pixelValues(RgbImage image) {
        return images.preprocess(image); // (3, S, S)
    }

    /** A batch of images → (B, 3, S, S). */
    public Tensor pixelValues(List<RgbImage> batch) {
        return images.toTensor(batch); // (B, 3, S, S)
    }

    /** The texts' ids and attention mask (B, T), T the longest row's length (at most the model's positions). */
    public TokenBatch tokenize(List<String> texts) {
        return tokenizer.batch(texts, maxLength, true);
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    public ClipPreprocessConfig imageConfig() {
        return images.config();
    }

    /** The longest token sequence kept ([CLS] and [SEP] included). */
    public int maxLength() {
        return maxLength;
    }
}
