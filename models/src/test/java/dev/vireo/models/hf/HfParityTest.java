package dev.vireo.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.config.VisionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vireo's CLIP against an independent PyTorch re-implementation of Hugging Face's CLIPModel
 * ({@code hf/clip_reference.py}): image and text features and logits within 1e-4 relative, for an
 * HF folder (mapped and copied weights, F16 token embedding), the legacy eos-2 pooling rule, and
 * the same weights in open_clip naming.
 */
class HfParityTest {
    static final Path FIXTURES = Path.of("src/test/resources/hf");
    static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    record Expected(Tensor pixels, int[] ids, int batch, int length, float[] image, float[] text, float[] logits) {}

    static Expected expected(Path file) throws IOException {
        JsonNode e = new ObjectMapper().readTree(file.toFile());
        int[] shape = new ObjectMapper().convertValue(e.get("pixel_values").get("shape"), int[].class);
        float[] px = floats(e.get("pixel_values").get("data"));
        JsonNode ids = e.get("input_ids");
        int b = ids.size(), t = ids.get(0).size();
        int[] flat = new int[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) flat[i * t + j] = ids.get(i).get(j).asInt();
        return new Expected(Tensor.of(px, shape), flat, b, t, floats(e.get("image_embeds")), floats(e.get("text_embeds")),
                floats(e.get("logits_per_image")));
    }

    static float[] floats(JsonNode node) {
        List<Float> out = new java.util.ArrayList<>();
        collect(node, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) f[i] = out.get(i);
        return f;
    }

    private static void collect(JsonNode n, List<Float> out) {
        if (n.isArray()) n.forEach(c -> collect(c, out));
        else out.add((float) n.asDouble());
    }

    static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double scale = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
        }
        assertThat(err / scale).as(what + ": max |error| / max |value|").isLessThanOrEqualTo(TOL);
    }

    static void check(ClipModel model, Expected x) {
        try (var ignored = GradMode.noGrad()) {
            Tensor img = model.encodeImage(x.pixels());          // (3, E)
            Tensor txt = model.encodeText(x.ids(), x.batch(), x.length()); // (4, E)
            assertClose("image_embeds", img.toArray(), x.image());
            assertClose("text_embeds", txt.toArray(), x.text());
            assertClose("logits_per_image", model.logits(img, txt).toArray(), x.logits());
        }
    }

    @Test
    void huggingFaceFolderMatchesTheReference() throws IOException {
        Expected x = expected(FIXTURES.resolve("tiny-clip/expected.json"));
        for (boolean mapped : new boolean[] {true, false}) {
            try (HfCheckpoints.Loaded loaded = HfCheckpoints.load(FIXTURES.resolve("tiny-clip"), mapped)) {
                check(loaded.model(), x);
                assertThat(loaded.tokenizer().encode("a photo of a cat", 16)).containsExactly(java.util.Arrays.copyOf(x.ids(), 16));
            }
        }
    }

    @Test
    void legacyEosTwoConfigPoolsAtTheLargestId() throws IOException {
        Path dir = tmp.resolve("legacy");
        Files.createDirectories(dir);
        for (String f : List.of("model.safetensors", "vocab.json", "merges.txt", "preprocessor_config.json")) {
            Files.copy(FIXTURES.resolve("tiny-clip").resolve(f), dir.resolve(f));
        }
        Files.copy(FIXTURES.resolve("tiny-clip-legacy/config.json"), dir.resolve("config.json"));
        try (HfCheckpoints.Loaded loaded = HfCheckpoints.load(dir, true)) {
            assertThat(loaded.config().legacyPooling()).isTrue();
            check(loaded.model(), expected(FIXTURES.resolve("tiny-clip-legacy/expected.json")));
        }
    }

    @Test
    void openClipStateDictMatchesToo() throws IOException {
        ClipConfig config = new ClipConfig("tiny-open-clip", 16,
                new VisionConfig(32, 8, 32, 2, 2, 4.0, "quick_gelu"), new TextConfig(16, 49408, 32, 2, 2, 4.0, "quick_gelu"));
        try (HfCheckpoints.Loaded loaded = HfCheckpoints.loadOpenClip(FIXTURES.resolve("tiny-clip/open_clip.safetensors"), config)) {
            check(loaded.model(), expected(FIXTURES.resolve("tiny-clip/expected.json")));
        }
    }

    @Test
    void savedFolderLoadsBackIdentically() throws IOException {
        Expected x = expected(FIXTURES.resolve("tiny-clip/expected.json"));
        try (HfCheckpoints.Loaded loaded = HfCheckpoints.load(FIXTURES.resolve("tiny-clip"), false)) {
            Path out = tmp.resolve("saved");
            HfCheckpoints.save(loaded.model(), loaded.tokenizer(), out);
            assertThat(out.resolve("vocab.json")).exists();
            try (HfCheckpoints.Loaded again = HfCheckpoints.load(out, true)) {
                check(again.model(), x);
                assertThat(again.tokenizer().encode("a rocket standing on a launchpad"))
                        .containsExactly(49406, 320, 8383, 2862, 525, 320, 31168, 7601, 49407);
            }
        }
    }

    @Test
    void clearErrorsForBrokenFolders() throws IOException {
        assertThatThrownBy(() -> HfCheckpoints.load(tmp, true)).hasMessageContaining("config.json is missing");
        Files.copy(FIXTURES.resolve("tiny-clip/config.json"), tmp.resolve("config.json"));
        assertThatThrownBy(() -> HfCheckpoints.load(tmp, true)).hasMessageContaining("model.safetensors is missing");
        ClipConfig wrong = ClipConfig.create("tiny");
        assertThatThrownBy(() -> HfCheckpoints.loadOpenClip(FIXTURES.resolve("tiny-clip/open_clip.safetensors"), wrong))
                .hasMessageContaining("shape");
    }
}
