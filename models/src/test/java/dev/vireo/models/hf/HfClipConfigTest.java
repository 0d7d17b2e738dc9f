package dev.vireo.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.config.VisionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HfClipConfigTest {
    private static final String FIXTURE = "{\"model_type\":\"clip\",\"projection_dim\":16,"
            + "\"text_config\":{\"hidden_size\":32,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":2,"
            + "\"max_position_embeddings\":16,\"vocab_size\":49408},"
            + "\"vision_config\":{\"hidden_size\":32,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":2,"
            + "\"image_size\":32,\"patch_size\":8}}";

    @Test
    void readsTheTinyHfFixture() {
        HfClipConfig hf = HfClipConfig.read(fixture("tiny-clip/config.json"));
        assertThat(hf.clip()).isEqualTo(new ClipConfig("tiny-clip", 16,
                new VisionConfig(32, 8, 32, 2, 2, 4.0, "quick_gelu"),
                new TextConfig(16, 49408, 32, 2, 2, 4.0, "quick_gelu")));
        assertThat(hf.eosTokenId()).isEqualTo(49407);
        assertThat(hf.bosTokenId()).isEqualTo(49406);
        assertThat(hf.padTokenId()).isEqualTo(1);
        assertThat(hf.textLayerNormEps()).isEqualTo(1e-5);
        assertThat(hf.visionLayerNormEps()).isEqualTo(1e-5);
        assertThat(hf.logitScaleInit()).isEqualTo(2.6592);
        assertThat(hf.legacyPooling()).isFalse();
    }

    @Test
    void legacyConfigUsesArgmaxPoolingAndExactGelu() {
        HfClipConfig hf = HfClipConfig.read(fixture("tiny-clip-legacy/config.json"));
        assertThat(hf.legacyPooling()).isTrue();
        assertThat(hf.eosTokenId()).isEqualTo(2);
        assertThat(hf.clip().text().activation()).isEqualTo("gelu");
        assertThat(hf.clip().vision().activation()).isEqualTo("gelu");
    }

    @Test
    void pooledPositionsMatchTheReference() {
        for (String folder : List.of("tiny-clip", "tiny-clip-legacy")) {
            HfClipConfig hf = HfClipConfig.read(fixture(folder + "/config.json"));
            Map<String, Object> expected = HfParityTest.expectedJson(folder);
            List<Integer> positions = new ArrayList<>();
            for (Object row : Fixtures.list(expected.get("input_ids"))) positions.add(hf.pooledPosition(Fixtures.ints(row)));
            assertThat(positions).as(folder).containsExactly(Arrays.stream(Fixtures.ints(expected.get("pooled_positions"))).boxed().toArray(Integer[]::new));
        }
        // padding with the eos id itself: the first one counts; a missing eos falls back to 0 as argmax does
        HfClipConfig modern = HfClipConfig.of(ClipConfig.create("tiny"));
        assertThat(modern.pooledPosition(new int[] {49406, 320, 49407, 49407})).isEqualTo(2);
        assertThat(modern.pooledPosition(new int[] {49406, 320, 2368})).isEqualTo(0);
        HfClipConfig legacy = new HfClipConfig(ClipConfig.create("tiny"), 0, 2, 1, 1e-5, 1e-5, 2.6592);
        assertThat(legacy.pooledPosition(new int[] {49406, 2, 49407, 0})).isEqualTo(2);
    }

    @Test
    void everyNamedConfigRoundTrips() {
        for (String name : ClipConfig.list()) {
            HfClipConfig hf = HfClipConfig.of(ClipConfig.create(name));
            assertThat(HfClipConfig.parse(hf.toJson(), name, "unused")).isEqualTo(hf);
        }
        ClipConfig tanh = new ClipConfig("tanh", 24, new VisionConfig(48, 16, 48, 1, 3, 3.5, "gelu_tanh"),
                new TextConfig(8, 100, 40, 3, 5, 2.0, "gelu"));
        HfClipConfig custom = new HfClipConfig(tanh, 0, 2, 1, 1e-6, 1e-12, 4.6052);
        assertThat(custom.toJson()).contains("\"hidden_act\" : \"gelu_new\"", "\"intermediate_size\" : 168");
        assertThat(HfClipConfig.parse(custom.toJson(), "custom", "unused")).isEqualTo(custom);
    }

    @Test
    void writtenConfigHasEveryFieldOfTheHfFixture(@TempDir Path dir) {
        HfClipConfig fixture = HfClipConfig.read(fixture("tiny-clip/config.json"));
        Path out = dir.resolve("export/config.json");
        fixture.write(out);
        JsonNode written = readTree(fixture("tiny-clip/config.json"));
        JsonNode ours = readTree(out);
        assertThat(fieldNames(ours)).containsAll(fieldNames(written));
        for (String section : List.of("text_config", "vision_config")) {
            assertThat(fieldNames(ours.get(section))).as(section).containsAll(fieldNames(written.get(section)));
            written.get(section).fields().forEachRemaining(e ->
                    assertThat(ours.get(section).get(e.getKey()).asText()).as(section + "." + e.getKey()).isEqualTo(e.getValue().asText()));
        }
        assertThat(ours.get("architectures").get(0).asText()).isEqualTo("CLIPModel");
        assertThat(ours.get("torch_dtype").asText()).isEqualTo("float32");
        assertThat(HfClipConfig.read(out)).isEqualTo(fixture);
    }

    @Test
    void defaultsApplyWhereTransformersHasThem() {
        HfClipConfig hf = HfClipConfig.parse(FIXTURE, "minimal", "minimal");
        assertThat(hf.clip().name()).isEqualTo("minimal");
        assertThat(hf.clip().text().activation()).isEqualTo("quick_gelu");
        assertThat(hf.eosTokenId()).isEqualTo(HfClipConfig.DEFAULT_EOS);
        assertThat(hf.textLayerNormEps()).isEqualTo(1e-5);
    }

    @Test
    void oldConfigDictSectionsOverrideTheirSections() {
        String json = FIXTURE.replace("\"model_type\":\"clip\",",
                "\"model_type\":\"clip\",\"text_config_dict\":{\"hidden_size\":64,\"intermediate_size\":256,\"hidden_act\":\"gelu\"},");
        HfClipConfig hf = HfClipConfig.parse(json, "old", "old");
        assertThat(hf.clip().text().width()).isEqualTo(64);
        assertThat(hf.clip().text().mlpRatio()).isEqualTo(4.0);
        assertThat(hf.clip().text().activation()).isEqualTo("gelu");
        assertThat(hf.clip().vision().width()).isEqualTo(32);
    }

    @Test
    void errorsNameTheFileAndField() {
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"clip\"", "\"siglip\""), "a.json", "a"))
                .hasMessageContaining("a.json").hasMessageContaining("model_type 'siglip' is not 'clip'");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"model_type\":\"clip\",", ""), "b.json", "b"))
                .hasMessageContaining("model_type 'null' is not 'clip'");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"vocab_size\":49408", "\"vocab\":49408"), "c.json", "c"))
                .hasMessageContaining("c.json: text_config.vocab_size is missing");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"patch_size\":8", "\"patch_size\":\"8\""), "d.json", "d"))
                .hasMessageContaining("vision_config.patch_size must be an integer, got \"8\"");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"vocab_size\":49408", "\"vocab_size\":49408,\"hidden_act\":\"relu\""), "e.json", "e"))
                .hasMessageContaining("text_config.hidden_act 'relu' has no Vireo activation");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"patch_size\":8", "\"patch_size\":8,\"num_channels\":1"), "f.json", "f"))
                .hasMessageContaining("vision_config.num_channels is 1");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"vision_config\"", "\"vision\""), "g.json", "g"))
                .hasMessageContaining("g.json: vision_config is missing");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"projection_dim\":16,", ""), "h.json", "h"))
                .hasMessageContaining("h.json: projection_dim is missing");
        assertThatThrownBy(() -> HfClipConfig.parse("{\"model_type\":", "i.json", "i"))
                .hasMessageContaining("i.json: not valid JSON");
        assertThatThrownBy(() -> HfClipConfig.parse(FIXTURE.replace("\"patch_size\":8", "\"patch_size\":7"), "j.json", "j"))
                .hasMessageContaining("not a multiple of patchSize 7");
        assertThatThrownBy(() -> HfClipConfig.read(Path.of("no/such/config.json")))
                .hasMessageContaining("no/such/config.json").hasMessageContaining("cannot read");
    }

    /** What 'bench fuzz' (#23) sent: each a one-line error naming the file, never another exception or a config that cannot be built. */
    @Test
    void damagedConfigsAreOneLineErrors(@TempDir Path dir) throws IOException {
        // text the file quotes keeps the message on one line
        assertOneLine(() -> HfClipConfig.parse(FIXTURE.replace("\"clip\"", "\"cl\\nip\""), "a.json", "a"), "model_type 'cl\\nip' is not 'clip'");
        assertOneLine(() -> HfClipConfig.parse(FIXTURE.replace("\"vocab_size\":49408", "\"vocab_size\":49408,\"hidden_act\":\"re\\nlu\""), "b.json", "b"),
                "text_config.hidden_act 're\\nlu' has no Vireo activation");
        assertOneLine(() -> HfClipConfig.parse(FIXTURE.replace("\"projection_dim\":16", "\"projection_dim\":0,\"_name_or_path\":\"x\\ny\""), "c.json", "c"),
                "x\\ny.embedDim must be positive, got 0");
        // an intermediate_size of 0 was read as an MLP ratio of 0: the model could not be built from it
        assertOneLine(() -> HfClipConfig.parse(FIXTURE.replace("\"intermediate_size\":128", "\"intermediate_size\":0"), "d.json", "d"),
                "text.mlpRatio 0.0 gives width 32 an MLP of 0 units");
        // bytes that are not UTF-8: "cannot read: Input length = 1" before, which said neither what nor where
        Path file = dir.resolve("config.json");
        Files.write(file, new byte[] {'{', '"', 'a', '"', ':', ' ', '"', (byte) 0xff, '"', '}'});
        assertOneLine(() -> HfClipConfig.read(file), "config.json: not valid JSON: Invalid UTF-8 start byte 0xff, line 1 column 9");
        // a model folder's config.json is read first by Clip.load, which let Jackson's two-line exception out
        assertOneLine(() -> dev.vireo.models.Clip.load(dir), "config.json is not valid JSON: Invalid UTF-8 start byte 0xff, line 1 column 9");
    }

    static void assertOneLine(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static Path fixture(String relative) {
        return Fixtures.path(HfClipConfigTest.class, "/hf/" + relative);
    }

    private static JsonNode readTree(Path p) {
        try {
            return new ObjectMapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
