package dev.vireo.models.blip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.vl.ImageTextMatcher.PairScore;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.vireo.engine.testing.Fixtures.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * Parity with transformers 5.18 on the tiny random {@code BlipForImageTextRetrieval} that
 * {@code src/test/resources/blip/make_tiny_blip.py} saved with its processor: the processor's token
 * ids exactly, its pixel values of three PNGs (resized up and down) within 1e-5, and for every
 * image x text pair the ITM match probability and the cosine within 1e-4 of transformers' float64
 * results. Scoring a pair alone gives what it gets in a padded batch. A damaged copy of the folder
 * (a tensor missing, extra or mis-shaped, a config of absurd sizes or of another model, a processor
 * of another image size) is a one-line IllegalArgumentException naming the problem.
 */
class BlipParityTest {
    private static final double PIXEL_TOLERANCE = 1e-5;
    private static final double SCORE_TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> golden;
    private static BlipMatcher matcher;
    private static List<RgbImage> images;
    private static List<String> texts;

    static Path folder() {
        return Fixtures.path(BlipParityTest.class, "/blip/tiny_blip/config.json").getParent();
    }

    @BeforeAll
    static void load() throws IOException {
        golden = Fixtures.json(BlipParityTest.class, "/blip/blip_golden.json");
        matcher = BlipMatcher.load(folder());
        images = new ArrayList<>();
        for (Object name : list(golden.get("images"))) images.add(ImageDecoder.decode(folder().resolve(Fixtures.string(name))));
        texts = list(golden.get("texts")).stream().map(Fixtures::string).toList();
    }

    @AfterAll
    static void close() {
        matcher.close();
    }

    @Test
    void tokenIdsAreTheProcessors() {
        TokenBatch batch = matcher.processor().tokenize(texts);
        List<Object> ids = list(golden.get("input_ids")), mask = list(golden.get("attention_mask"));
        assertThat(batch.batch()).isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(batch.row(i)).as("ids of '%s'", texts.get(i)).containsExactly(Fixtures.ints(ids.get(i)));
            int[] m = Fixtures.ints(mask.get(i));
            for (int j = 0; j < m.length; j++) assertThat(batch.attentionMask()[i * batch.length() + j]).isEqualTo(m[j]);
        }
    }

    @Test
    void theConfigCountsTheWeightsItLoads() {
        assertThat(matcher.config().parameters()).isEqualTo((double) matcher.model().parameterCount());
        assertThat(matcher.config().embedDim()).isEqualTo(16);
        assertThat(matcher.processor().maxLength()).isEqualTo(16);
    }

    @Test
    void pixelValuesAreTheImageProcessors() {
        List<Object> expected = list(golden.get("pixel_values"));
        assertThat(Fixtures.ints(golden.get("pixel_shape"))).containsExactly(3, 32, 32);
        for (int i = 0; i < images.size(); i++) {
            float[] want = Fixtures.floats(expected.get(i));
            float[] got = matcher.processor().pixelValues(images.get(i));
            assertThat(got).hasSameSizeAs(want);
            double max = 0;
            for (int k = 0; k < got.length; k++) max = Math.max(max, Math.abs(got[k] - want[k]));
            assertThat(max).as("max |pixel diff| of %s", list(golden.get("images")).get(i)).isLessThanOrEqualTo(PIXEL_TOLERANCE);
        }
    }

    @Test
    void matchProbabilityAndCosineAreTransformers() {
        List<RgbImage> pairImages = new ArrayList<>();
        List<String> pairTexts = new ArrayList<>();
        for (RgbImage image : images) {
            for (String text : texts) {
                pairImages.add(image);
                pairTexts.add(text);
            }
        }
        List<PairScore> scores = matcher.scorePairs(pairImages, pairTexts);
        List<Object> match = list(golden.get("match_probability")), cosine = list(golden.get("cosine"));
        double maxMatch = 0, maxCosine = 0;
        for (int i = 0; i < images.size(); i++) {
            double[] m = doubles(match.get(i)), c = doubles(cosine.get(i));
            for (int j = 0; j < texts.size(); j++) {
                PairScore s = scores.get(i * texts.size() + j);
                maxMatch = Math.max(maxMatch, Math.abs(s.matchProbability() - m[j]));
                maxCosine = Math.max(maxCosine, Math.abs(s.cosine() - c[j]));
            }
        }
        assertThat(maxMatch).as("max |match probability diff|").isLessThanOrEqualTo(SCORE_TOLERANCE);
        assertThat(maxCosine).as("max |cosine diff|").isLessThanOrEqualTo(SCORE_TOLERANCE);
    }

    @Test
    void aPairAloneScoresAsInAPaddedBatch() {
        List<PairScore> batch = matcher.scorePairs(List.of(images.get(1), images.get(1), images.get(2)),
                List.of(texts.get(2), texts.get(3), texts.get(0)));
        PairScore alone = matcher.scorePairs(List.of(images.get(1)), List.of(texts.get(2))).getFirst();
        assertThat(alone.matchProbability()).isCloseTo(batch.getFirst().matchProbability(), offset(1e-6));
        assertThat(alone.cosine()).isCloseTo(batch.getFirst().cosine(), offset(1e-6));
        assertThat(matcher.scorePairs(List.of(), List.of())).isEmpty();
        assertThatThrownBy(() -> matcher.scorePairs(List.of(images.getFirst()), List.of())).hasMessageContaining("1 images for 0 texts");
    }

    @Test
    void aMissingExtraOrMisShapedTensorIsNamed(@TempDir Path dir) throws IOException {
        assertOneLine(() -> BlipMatcher.load(copyWithWeights(dir.resolve("a"), w -> w.remove("text_proj.bias"))),
                "missing [text_proj.bias], unexpected []");
        assertOneLine(() -> BlipMatcher.load(copyWithWeights(dir.resolve("b"), w -> w.put("text_decoder.cls.bias", Tensor.zeros(40)))),
                "missing [], unexpected [text_decoder.cls.bias]");
        assertOneLine(() -> BlipMatcher.load(copyWithWeights(dir.resolve("c"), w -> w.put("itm_head.weight", Tensor.zeros(3, 32)))),
                "itm_head.weight: checkpoint shape (3, 32) does not match the model's (2, 32)");
        assertOneLine(() -> BlipMatcher.load(copyWithWeights(dir.resolve("d"),
                w -> w.put("vision_model.encoder.layers.1.self_attn.qkv.weight", Tensor.zeros(32, 32)))),
                "vision_model.encoder.layers.1.self_attn.qkv.weight: checkpoint shape (32, 32) does not match the model's (96, 32)");
    }

    @Test
    void anAbsurdOrForeignConfigIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        assertOneLine(() -> BlipMatcher.load(copyWithConfig(dir.resolve("a"), c -> section(c, "text_config").put("num_hidden_layers", 1_000_000))),
                "does not belong to these weights");
        assertOneLine(() -> BlipMatcher.load(copyWithConfig(dir.resolve("b"), c -> section(c, "vision_config").put("hidden_size", 1 << 20))),
                "does not belong to these weights");
        assertOneLine(() -> BlipMatcher.load(copyWithConfig(dir.resolve("c"), c -> section(c, "vision_config").put("image_size", 1 << 30))),
                "vision_config.image_size 1073741824 is past the 8192 px");
        assertOneLine(() -> BlipMatcher.load(copyWithConfig(dir.resolve("d"), c -> section(c, "text_config").put("hidden_size", "big\nger"))),
                "text_config.hidden_size must be an integer");
        assertOneLine(() -> BlipMatcher.load(copyWithConfig(dir.resolve("e"), c -> c.put("model_type", "clip"))),
                "model_type 'clip' is not 'blip'");
        assertOneLine(() -> BlipMatcher.load(copyWithConfig(dir.resolve("f"), c -> c.putArray("architectures").add("BlipForConditionalGeneration"))),
                "is not BlipForImageTextRetrieval");
    }

    @Test
    void aProcessorOfAnotherImageSizeOrNoneIsRefused(@TempDir Path dir) throws IOException {
        Path other = copy(dir.resolve("a"));
        ObjectNode processor = (ObjectNode) JSON.readTree(other.resolve("processor_config.json").toFile());
        section(processor, "image_processor").putObject("size").put("height", 64).put("width", 64);
        JSON.writeValue(other.resolve("processor_config.json").toFile(), processor);
        assertOneLine(() -> BlipMatcher.load(other), "the image processor makes 64x64 images but the vision model takes 32x32");
        Path none = copy(dir.resolve("b"));
        Files.delete(none.resolve("processor_config.json"));
        assertOneLine(() -> BlipMatcher.load(none), "no preprocessor_config.json or processor_config.json");
        Files.delete(none.resolve("config.json"));
        assertOneLine(() -> BlipMatcher.load(none), "config.json is missing");
    }

    /** Folders saved before transformers 5 keep the image settings in preprocessor_config.json. */
    @Test
    void aPreprocessorConfigJsonGivesTheSamePixels(@TempDir Path dir) throws IOException {
        Path old = copy(dir);
        ObjectNode processor = (ObjectNode) JSON.readTree(old.resolve("processor_config.json").toFile());
        JSON.writeValue(old.resolve("preprocessor_config.json").toFile(), processor.get("image_processor"));
        Files.delete(old.resolve("processor_config.json"));
        try (BlipMatcher loaded = BlipMatcher.load(old)) {
            assertThat(loaded.processor().pixelValues(images.get(2))).containsExactly(matcher.processor().pixelValues(images.get(2)));
        }
    }

    /** The fixture folder copied to {@code dir}. */
    private static Path copy(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "processor_config.json")) {
            Files.copy(folder().resolve(name), dir.resolve(name));
        }
        return dir;
    }

    /** The folder with its weights edited. */
    private static Path copyWithWeights(Path dir, Consumer<Map<String, Tensor>> edit) throws IOException {
        copy(dir);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(folder().resolve("model.safetensors"))) {
            reader.tensors().forEach((name, t) -> weights.put(name, Tensor.of(t.toArray(), t.shape())));
        }
        edit.accept(weights);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
        return dir;
    }

    /** The folder with its config.json edited. */
    private static Path copyWithConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
        copy(dir);
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        edit.accept(config);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    private static ObjectNode section(ObjectNode node, String name) {
        return (ObjectNode) node.get(name);
    }

    private static void assertOneLine(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static double[] doubles(Object json) {
        return list(json).stream().mapToDouble(Fixtures::number).toArray();
    }
}
