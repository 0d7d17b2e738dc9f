package dev.vireo.models.hf;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.config.TextConfig;
import dev.vireo.models.config.VisionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.floats;
import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static dev.vireo.engine.testing.Tolerances.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vireo's CLIP against an independent PyTorch re-implementation of Hugging Face's CLIPModel
 * ({@code hf/clip_reference.py}): image and text features and logits within 1e-4 relative, for an
 * HF folder (mapped and copied weights, F16 token embedding), the legacy eos-2 pooling rule, and
 * the same weights in open_clip naming.
 */
class HfParityTest {
    static final Path FIXTURES = Fixtures.path(HfParityTest.class, "/hf");
    /** Largest error allowed, relative to the largest expected magnitude: max |error| ≤ TOL · max |expected|. */
    static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    record Expected(Tensor pixels, int[] ids, int batch, int length, float[] image, float[] text, float[] logits) {}

    /** A fixture folder's expected.json, as our float64 re-implementation of CLIPModel computed it (make_hf_fixtures.py). */
    static Map<String, Object> expectedJson(String folder) {
        return Fixtures.json(HfParityTest.class, "/hf/" + folder + "/expected.json");
    }

    static Expected expected(String folder) {
        Map<String, Object> e = expectedJson(folder);
        Map<String, Object> pixels = object(e.get("pixel_values"));
        List<Object> ids = list(e.get("input_ids"));
        return new Expected(Tensor.of(floats(pixels.get("data")), ints(pixels.get("shape"))), ints(ids), ids.size(),
                list(ids.get(0)).size(), floats(e.get("image_embeds")), floats(e.get("text_embeds")),
                floats(e.get("logits_per_image")));
    }

    static void check(ClipModel model, Expected x) {
        try (var ignored = GradMode.noGrad()) {
            Tensor img = model.encodeImage(x.pixels());          // (3, E)
            Tensor txt = model.encodeText(x.ids(), x.batch(), x.length()); // (4, E)
            assertAllClose("image_embeds", x.image(), img.toArray(), TOL * maxAbs(x.image()), 0);
            assertAllClose("text_embeds", x.text(), txt.toArray(), TOL * maxAbs(x.text()), 0);
            assertAllClose("logits_per_image", x.logits(), model.logits(img, txt).toArray(), TOL * maxAbs(x.logits()), 0);
        }
    }

    @Test
    void huggingFaceFolderMatchesTheReference() throws IOException {
        Expected x = expected("tiny-clip");
        for (boolean mapped : new boolean[] {true, false}) {
            try (HfCheckpoints.Loaded loaded = HfCheckpoints.load(FIXTURES.resolve("tiny-clip"), mapped)) {
                check(loaded.model(), x);
                assertThat(loaded.tokenizer().encode("a photo of a cat", 16)).containsExactly(Arrays.copyOf(x.ids(), 16));
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
            check(loaded.model(), expected("tiny-clip-legacy"));
        }
    }

    @Test
    void openClipStateDictMatchesToo() throws IOException {
        ClipConfig config = new ClipConfig("tiny-open-clip", 16,
                new VisionConfig(32, 8, 32, 2, 2, 4.0, "quick_gelu"), new TextConfig(16, 49408, 32, 2, 2, 4.0, "quick_gelu"));
        try (HfCheckpoints.Loaded loaded = HfCheckpoints.loadOpenClip(FIXTURES.resolve("tiny-clip/open_clip.safetensors"), config)) {
            check(loaded.model(), expected("tiny-clip"));
            var params = loaded.model().namedParameters();
            assertThat(params.get("vision_model.encoder.layers.0.self_attn.k_proj.weight").value().storage().isHeap())
                    .as("q, k, v stay mapped as rows of the fused in_proj").isFalse();
            assertThat(params.get("text_model.encoder.layers.1.mlp.fc1.weight").value().storage().isHeap()).isFalse();
        }
    }

    @Test
    void savedFolderLoadsBackIdentically() throws IOException {
        Expected x = expected("tiny-clip");
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
                .hasMessageContaining("does not belong to these weights"); // refused before the model is allocated
    }
}
