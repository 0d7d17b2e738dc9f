package dev.vireo.models.blip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.caption.ImageCaptioner.Caption;
import dev.vireo.models.generate.Decoder;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.vireo.engine.testing.Fixtures.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parity with transformers 5.18 on the tiny random {@code BlipForConditionalGeneration} that
 * {@code src/test/resources/blipcap/make_tiny_blip_caption.py} saved with its processor: the
 * decoder's prompt ids ([DEC] a photo of), the logits of every prompt position and of every step
 * of a teacher-forced pass over the greedy captions (through the key/value cache, one token at a
 * time, and in one causal prefill) within 1e-4 of transformers' float64 logits, and the ids and
 * texts that {@code generate} returned for three images in one batch under greedy and beam search
 * settings (prompt or none, length penalty, min length, repetition penalty, early stopping),
 * exactly. The script checked that none of those decisions sits on a near-tie. A damaged copy of
 * the folder (a tensor missing or mis-shaped, a token id outside the vocabulary, an absurd config, a
 * tokenizer smaller than the decoder's vocabulary) is a one-line IllegalArgumentException.
 */
class BlipCaptionParityTest {
    private static final double LOGIT_TOLERANCE = 1e-4;

    private static Map<String, Object> golden;
    private static BlipCaptioner captioner;
    private static List<RgbImage> images;

    static Path folder() {
        return Fixtures.path(BlipCaptionParityTest.class, "/blipcap/tiny_blip_caption/config.json").getParent();
    }

    @BeforeAll
    static void load() throws IOException {
        golden = Fixtures.json(BlipCaptionParityTest.class, "/blipcap/blip_caption_golden.json");
        captioner = BlipCaptioner.load(folder());
        images = new ArrayList<>();
        for (Object name : list(golden.get("images"))) images.add(ImageDecoder.decode(folder().resolve(Fixtures.string(name))));
    }

    @AfterAll
    static void close() {
        captioner.close();
    }

    @Test
    void promptIsDecThenThePromptsTokens() {
        int[] expected = Fixtures.ints(list(golden.get("prompt_ids")).get(0));
        assertThat(captioner.promptIds(Fixtures.string(golden.get("prompt")))).containsExactly(expected);
        assertThat(captioner.promptIds("")).containsExactly(Fixtures.integer(golden.get("bos")));
    }

    @Test
    void promptLogitsMatchOneTokenAtATimeAndInOnePrefill() {
        int[][] prompts = rows(golden.get("prompt_ids"));
        checkTeacherForced(prompts, list(golden.get("prompt_logits")));
    }

    @Test
    void greedySequenceLogitsMatchThroughTheCache() {
        Map<String, Object> greedy = run("greedy");
        checkTeacherForced(rows(greedy.get("ids")), list(golden.get("greedy_logits")));
    }

    @Test
    void everyRunGivesTransformersIdsAndTexts() {
        for (Object o : list(golden.get("runs"))) {
            Map<String, Object> run = Fixtures.object(o);
            List<Caption> captions = captioner.caption(images, Fixtures.string(run.get("prompt")), settings(Fixtures.object(run.get("settings"))));
            List<Object> ids = list(run.get("ids")), texts = list(run.get("texts"));
            for (int i = 0; i < images.size(); i++) {
                assertThat(captions.get(i).ids()).as("%s, image %d", run.get("name"), i).containsExactly(Fixtures.ints(ids.get(i)));
                assertThat(captions.get(i).text()).as("%s, image %d", run.get("name"), i).isEqualTo(Fixtures.string(texts.get(i)));
            }
        }
    }

    @Test
    void anImageAloneGetsItsBatchCaption() {
        Map<String, Object> beam = run("beam3_penalties");
        GenerationConfig settings = settings(Fixtures.object(beam.get("settings")));
        int[] expected = Fixtures.ints(list(beam.get("ids")).get(2));
        int[] alone = captioner.caption(List.of(images.get(2)), Fixtures.string(beam.get("prompt")), settings).get(0).ids();
        // the batch pads to its longest row; alone the row ends at its own end
        assertThat(alone).containsExactly(Arrays.copyOf(expected, alone.length));
    }

    @Test
    void aRetrievalFolderIsRefusedInOneLine() {
        Path retrieval = BlipParityTest.folder();
        assertThatThrownBy(() -> BlipCaptioner.load(retrieval)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not BlipForConditionalGeneration").hasMessageNotContaining("\n");
    }

    @Test
    void aDamagedFolderIsRefusedInOneLine(@TempDir Path dir) throws IOException {
        assertOneLine(() -> BlipCaptioner.load(copyWithWeights(dir.resolve("a"), w -> w.remove("text_decoder.cls.predictions.bias"))),
                "missing [text_decoder.cls.predictions.bias], unexpected []");
        assertOneLine(() -> BlipCaptioner.load(copyWithWeights(dir.resolve("b"),
                w -> w.put("text_decoder.cls.predictions.transform.dense.weight", Tensor.zeros(32, 31)))),
                "text_decoder.cls.predictions.transform.dense.weight: checkpoint shape (32, 31) does not match the model's (32, 32)");
        // the tied copies older checkpoints carry are accepted and ignored
        try (BlipCaptioner tied = BlipCaptioner.load(copyWithWeights(dir.resolve("c"),
                w -> w.put("text_decoder.cls.predictions.decoder.bias", w.get("text_decoder.cls.predictions.bias"))))) {
            assertThat(tied.promptIds("")).containsExactly(Fixtures.integer(golden.get("bos")));
        }
        assertOneLine(() -> BlipCaptioner.load(copyWithConfig(dir.resolve("d"), c -> ((ObjectNode) c.get("text_config")).put("bos_token_id", 4000))),
                "must lie in the vocabulary of 40");
        assertOneLine(() -> BlipCaptioner.load(copyWithConfig(dir.resolve("e"),
                c -> ((ObjectNode) c.get("text_config")).put("num_hidden_layers", 1_000_000))), "does not belong to these weights");
        assertOneLine(() -> BlipCaptioner.load(copyWithConfig(dir.resolve("f"), c -> ((ObjectNode) c.get("text_config")).put("vocab_size", 41))),
                "the tokenizer knows 40 tokens but the decoder writes 41");
    }

    @Test
    void tooManyNewTokensForThePositionsIsRefused() {
        GenerationConfig tooLong = GenerationConfig.greedy(40);
        assertThatThrownBy(() -> captioner.caption(images, "", tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positions");
    }

    /**
     * Feeds each row's tokens one at a time through the decoder's cache, comparing the logits after
     * every token with the reference's position, then the whole rows in one causal prefill.
     */
    private static void checkTeacherForced(int[][] sequences, List<Object> expected) {
        int rows = sequences.length, length = sequences[0].length;
        try (var ignored = GradMode.noGrad()) {
            Tensor states = captioner.model().imageStates(captioner.processor().pixelValues(images)); // (B, S, Cv)
            Decoder decoder = captioner.model().decoder().decoder(states);
            int vocab = decoder.vocabSize();
            float[] logits = decoder.prefill(column(sequences, 0), rows, 1);
            for (int p = 0; ; p++) {
                for (int r = 0; r < rows; r++) {
                    float[] want = Fixtures.floats(list(expected.get(r)).get(p));
                    assertClose(Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab), want, "row " + r + ", position " + p);
                }
                if (p + 1 == length) break;
                logits = decoder.step(column(sequences, p + 1));
            }
            int[] all = new int[rows * length];
            for (int r = 0; r < rows; r++) System.arraycopy(sequences[r], 0, all, r * length, length);
            logits = decoder.prefill(all, rows, length);
            for (int r = 0; r < rows; r++) {
                float[] want = Fixtures.floats(list(expected.get(r)).get(length - 1));
                assertClose(Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab), want, "prefill, row " + r);
            }
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        assertThat(worst).as("largest logit difference, %s", what).isLessThanOrEqualTo(LOGIT_TOLERANCE);
    }

    private static Map<String, Object> run(String name) {
        for (Object o : list(golden.get("runs"))) {
            Map<String, Object> run = Fixtures.object(o);
            if (name.equals(run.get("name"))) return run;
        }
        throw new AssertionError("no run " + name);
    }

    /** transformers' generate keyword arguments as a GenerationConfig, its defaults elsewhere. */
    static GenerationConfig settings(Map<String, Object> kw) {
        return new GenerationConfig(Fixtures.integer(kw.get("max_new_tokens")),
                kw.containsKey("min_length") ? Fixtures.integer(kw.get("min_length")) : 0,
                kw.containsKey("num_beams") ? Fixtures.integer(kw.get("num_beams")) : 1,
                kw.containsKey("length_penalty") ? Fixtures.number(kw.get("length_penalty")) : 1.0,
                kw.containsKey("early_stopping") && Fixtures.integer(kw.get("early_stopping")) == 1, false, 50, 1.0, 1.0,
                kw.containsKey("repetition_penalty") ? Fixtures.number(kw.get("repetition_penalty")) : 1.0, 0);
    }

    private static int[][] rows(Object json) {
        return list(json).stream().map(Fixtures::ints).toArray(int[][]::new);
    }

    private static int[] column(int[][] rows, int p) {
        int[] c = new int[rows.length];
        for (int r = 0; r < rows.length; r++) c[r] = rows[r][p];
        return c;
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
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        edit.accept(config);
        json.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    private static void assertOneLine(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
