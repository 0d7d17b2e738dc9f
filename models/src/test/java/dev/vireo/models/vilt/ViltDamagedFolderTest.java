package dev.vireo.models.vilt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.CheckpointFormatException;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.WordPieceTokenizer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A damaged copy of the tiny ViLT folder is a one-line error naming the problem, never a crash: a
 * tensor missing, extra or mis-shaped; a config of absurd sizes (refused before anything is
 * allocated), of another model or head, or with a malformed answer list; an image processor
 * without a shortest edge or with a huge one; a vocabulary larger than the model's word table or listing a token
 * twice. Then, fuzz-style and seeded: every top-level field of config.json set to each of a list
 * of hostile values, random byte edits of config.json, of the safetensors header and of a
 * vocab.txt; each load ends in a model that answers or in a one-line IllegalArgumentException or
 * IOException.
 */
class ViltDamagedFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
            "processor_config.json");

    @TempDir
    Path dir;

    @Test
    void aMissingExtraOrMisShapedTensorIsNamed() throws IOException {
        assertOneLine(() -> ViltAnswerer.load(copyWithWeights(dir.resolve("a"), w -> w.remove("classifier.3.bias"))),
                "missing [classifier.3.bias], unexpected []");
        assertOneLine(() -> ViltAnswerer.load(copyWithWeights(dir.resolve("b"), w -> w.put("mlm_score.bias", Tensor.zeros(34)))),
                "missing [], unexpected [mlm_score.bias]");
        assertOneLine(() -> ViltAnswerer.load(copyWithWeights(dir.resolve("c"), w -> w.put("vilt.embeddings.position_embeddings", Tensor.zeros(1, 10, 32)))),
                "vilt.embeddings.position_embeddings: checkpoint shape (1, 10, 32) does not match the model's (1, 17, 32)");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("d"), c -> c.put("qkv_bias", false))),
                "unexpected [vilt.encoder.layer.0.attention.attention.key.bias");
    }

    @Test
    void anAbsurdForeignOrMalformedConfigIsRefused() throws IOException {
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("a"), c -> c.put("num_hidden_layers", 1_000_000))),
                "does not belong to these weights");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("b"), c -> c.put("hidden_size", 1 << 20))),
                "does not belong to these weights");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("c"), c -> c.put("image_size", 1 << 30))),
                "image_size 1073741824 is past the 8192 px");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("d"), c -> c.put("hidden_size", "big\nger"))),
                "hidden_size must be an integer");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("e"), c -> c.put("model_type", "blip"))),
                "model_type 'blip' is not 'vilt'");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("f"), c -> c.putArray("architectures").add("ViltForMaskedLM"))),
                "is not ViltForQuestionAnswering");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("g"), c -> ((ObjectNode) c.get("id2label")).put("12", "x"))),
                "id2label key 12 is outside 0..10");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("h"), c -> c.putArray("patch_size").add(8).add(8))),
                "patch_size [8,8] is not one number");
        assertOneLine(() -> ViltAnswerer.load(copyWithConfig(dir.resolve("i"), c -> c.put("modality_type_vocab_size", 1))),
                "modality_type_vocab_size must be at least 2");
        Path gone = copy(dir.resolve("j"));
        Files.delete(gone.resolve("model.safetensors"));
        assertOneLine(() -> ViltAnswerer.load(gone), "model.safetensors is missing");
        Files.delete(gone.resolve("config.json"));
        assertOneLine(() -> ViltAnswerer.load(gone), "config.json is missing");
    }

    @Test
    void aDamagedProcessorOrVocabularyIsRefused() throws IOException {
        Path square = copy(dir.resolve("a"));
        ObjectNode processor = (ObjectNode) JSON.readTree(square.resolve("processor_config.json").toFile());
        ((ObjectNode) processor.get("image_processor")).putObject("size").put("height", 64).put("width", 64);
        JSON.writeValue(square.resolve("processor_config.json").toFile(), processor);
        assertOneLine(() -> ViltAnswerer.load(square), "size must have shortest_edge");
        ((ObjectNode) processor.get("image_processor")).putObject("size").put("shortest_edge", 8192);
        JSON.writeValue(square.resolve("processor_config.json").toFile(), processor);
        assertOneLine(() -> ViltAnswerer.load(square), "shortest_edge 8192 is past the 1024 px a ViLT image may take");
        Path none = copy(dir.resolve("b"));
        Files.delete(none.resolve("processor_config.json"));
        assertOneLine(() -> ViltAnswerer.load(none), "no preprocessor_config.json or processor_config.json");

        Path vocab = withVocabTxt(dir.resolve("c"), tokens -> tokens.add("zebra"));
        assertOneLine(() -> ViltAnswerer.load(vocab), "the tokenizer has 35 tokens but the model's word embeddings only 34");
        Path twice = withVocabTxt(dir.resolve("d"), tokens -> tokens.set(7, "cat"));
        assertOneLine(() -> ViltAnswerer.load(twice), "lists 'cat' twice");
        Path neither = withVocabTxt(dir.resolve("e"), tokens -> {});
        Files.delete(neither.resolve("vocab.txt"));
        assertOneLine(() -> ViltAnswerer.load(neither), "no tokenizer.json and no vocab.txt");
    }

    /** Folders saved before transformers 5 have preprocessor_config.json and vocab.txt: they answer as the fixture does. */
    @Test
    void aPreprocessorConfigAndVocabTxtFolderAnswersTheSame() throws IOException {
        Path old = withVocabTxt(dir.resolve("a"), tokens -> {});
        ObjectNode processor = (ObjectNode) JSON.readTree(old.resolve("processor_config.json").toFile());
        JSON.writeValue(old.resolve("preprocessor_config.json").toFile(), processor.get("image_processor"));
        Files.delete(old.resolve("processor_config.json"));
        RgbImage image = RgbImage.blank(40, 20);
        try (ViltAnswerer saved = ViltAnswerer.load(old); ViltAnswerer fixture = ViltAnswerer.load(ViltParityTest.folder())) {
            assertThat(saved.logits(List.of(image), List.of("What color is the sky?"))[0])
                    .containsExactly(fixture.logits(List.of(image), List.of("What color is the sky?"))[0]);
        }
    }

    /** Each top-level field of config.json set to each hostile value: a model that answers, or a one-line error. */
    @Test
    void hostileConfigValuesEndInAnswersOrOneLineErrors() throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(ViltParityTest.folder().resolve("config.json").toFile());
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) fields.add(it.next());
        String[] values = {"-1", "0", "1073741824", "2.5", "\"x\\ny\"", "{}", "[8, 8]"};
        Path folder = copy(dir.resolve("f"));
        int loaded = 0;
        for (String field : fields) {
            for (String value : values) {
                ObjectNode edited = config.deepCopy();
                edited.set(field, JSON.readTree(value));
                JSON.writeValue(folder.resolve("config.json").toFile(), edited);
                loaded += loadsOrFailsCleanly(folder, field + " = " + value) ? 1 : 0;
            }
        }
        assertThat(loaded).as("fields the model ignores or accepts").isPositive();
    }

    /** Random byte edits of config.json, of the safetensors header and of a vocab.txt (seeded). */
    @Test
    void randomByteEditsEndInAnswersOrOneLineErrors() throws IOException {
        Random random = new Random(20261206L);
        Path folder = withVocabTxt(dir.resolve("f"), tokens -> {});
        for (String file : List.of("config.json", "model.safetensors", "vocab.txt")) {
            byte[] original = Files.readAllBytes(folder.resolve(file));
            int span = file.equals("model.safetensors") ? Math.min(original.length, 2048) : original.length; // the header, not the weights
            int failures = 0;
            for (int round = 0; round < 30; round++) {
                Files.write(folder.resolve(file), mutate(original, span, random));
                failures += loadsOrFailsCleanly(folder, file + " round " + round) ? 0 : 1;
            }
            Files.write(folder.resolve(file), original);
            assertThat(failures).as("%s: damaged copies are refused", file).isPositive();
        }
    }

    /**
     * Loads and answers one question, or fails with a one-line IllegalArgumentException, IOException
     * or CheckpointFormatException (a damaged safetensors file), the errors bench fuzz counts as clean.
     */
    private static boolean loadsOrFailsCleanly(Path folder, String what) {
        try (ViltAnswerer a = ViltAnswerer.load(folder)) {
            assertThat(a.answer(List.of(RgbImage.blank(24, 40)), List.of("what color?"), 3, null)).as(what).hasSize(1);
            return true;
        } catch (IllegalArgumentException | IOException | UncheckedIOException | CheckpointFormatException e) {
            assertThat(e.getMessage()).as("%s: %s", what, e).isNotBlank().doesNotContain("\n");
            return false;
        }
    }

    /** 1 to 4 edits within the first {@code span} bytes: a byte changed, a range deleted or a byte inserted. */
    private static byte[] mutate(byte[] in, int span, Random random) {
        byte[] out = in.clone();
        for (int e = 1 + random.nextInt(4); e > 0; e--) {
            int at = random.nextInt(Math.min(span, out.length));
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> {
                    int n = Math.min(1 + random.nextInt(8), out.length - at);
                    byte[] shorter = new byte[out.length - n];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + n, shorter, at, out.length - at - n);
                    out = shorter;
                }
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) "\"{}[]:,0123456789\n#".charAt(random.nextInt(19));
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    /** The fixture folder copied to {@code dir}. */
    private static Path copy(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : FILES) Files.copy(ViltParityTest.folder().resolve(name), dir.resolve(name));
        return dir;
    }

    /** The folder with a vocab.txt of the fixture's tokens, edited, instead of tokenizer.json. */
    private static Path withVocabTxt(Path dir, Consumer<List<String>> edit) throws IOException {
        copy(dir);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromTokenizerJson(dir.resolve("tokenizer.json"));
        List<String> tokens = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) tokens.add(tokenizer.token(id));
        edit.accept(tokens);
        Files.write(dir.resolve("vocab.txt"), (String.join("\n", tokens) + "\n").getBytes(StandardCharsets.UTF_8));
        Files.delete(dir.resolve("tokenizer.json"));
        return dir;
    }

    /** The folder with its weights edited. */
    private static Path copyWithWeights(Path dir, Consumer<Map<String, Tensor>> edit) throws IOException {
        copy(dir);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(ViltParityTest.folder().resolve("model.safetensors"))) {
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

    private static void assertOneLine(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
