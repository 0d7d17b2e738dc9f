package dev.vireo.models.hf;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import dev.vireo.models.text.ClipTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.floats;
import static dev.vireo.engine.testing.Fixtures.ints;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Fixtures.string;
import static dev.vireo.engine.testing.Tolerances.assertAllClose;
import static dev.vireo.engine.testing.Tolerances.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code vireo export} writes, read back by transformers itself: a Vireo model (the {@code tiny}
 * config, seeded) saved as a Hugging Face folder; {@code hf/make_export_read_back.py} loaded that folder
 * with {@code CLIPModel}, {@code CLIPTokenizer} and {@code CLIPImageProcessor} and recorded its outputs
 * and the SHA-256 of every file it read. The same export here must be byte-identical to the one
 * transformers read, and Vireo's outputs from it must equal transformers'.
 */
class ExportReadBackTest {
    static final long SEED = 20261205L;
    /** Where the export stays after the test, for make_export_read_back.py to read. */
    static final Path EXPORT = Path.of("target", "vireo-export");
    static final Path PHOTOS = Fixtures.path(ExportReadBackTest.class, "/image/inputs");
    static final double TOL = 1e-4;

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void transformersReadsTheExportAsVireoComputesIt() throws Exception {
        Map<String, Object> ref = Fixtures.json(ExportReadBackTest.class, "/hf/vireo-export/transformers_read_back.json");
        ClipModel model = new ClipModel(ClipConfig.create("tiny"), SEED);
        HfCheckpoints.save(model, ClipTokenizer.openai(), EXPORT);
        Map<String, Object> files = object(ref.get("files"));
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        for (var f : files.entrySet()) {
            assertThat(sha256(EXPORT.resolve(f.getKey())))
                    .as("%s differs from the file transformers read: if the export format changed on purpose, rerun "
                            + "hf/make_export_read_back.py", f.getKey()).isEqualTo(string(f.getValue()));
        }
        try (Clip clip = Clip.load(EXPORT)) {
            assertThat(clip.kind()).isEqualTo("huggingface");
            Map<String, Object> pv = object(ref.get("pixel_values"));
            List<Object> ids = list(ref.get("input_ids"));
            int batch = ids.size(), length = list(ids.get(0)).size();
            List<String> captions = list(ref.get("captions")).stream().map(Fixtures::string).toList();
            for (int i = 0; i < batch; i++) {
                assertThat(clip.tokenizer().encode(captions.get(i), length)).as("ids of %s", captions.get(i)).containsExactly(ints(ids.get(i)));
            }
            float[] image = floats(ref.get("image_embeds")), text = floats(ref.get("text_embeds"));
            float[] logits = floats(ref.get("logits_per_image"));
            try (var ignored = GradMode.noGrad()) {
                Tensor img = clip.model().encodeImage(Tensor.of(floats(pv.get("data")), ints(pv.get("shape")))); // (N, E)
                Tensor txt = clip.model().encodeText(ints(ids), batch, length);                                  // (B, E)
                assertAllClose("image_embeds", image, img.toArray(), TOL * maxAbs(image), 0);
                assertAllClose("text_embeds", text, txt.toArray(), TOL * maxAbs(text), 0);
                assertAllClose("logits_per_image", logits, clip.model().logits(img, txt).toArray(), TOL * maxAbs(logits), 0);
            }
            List<Path> photos = new ArrayList<>();
            for (Object name : list(ref.get("photos"))) photos.add(PHOTOS.resolve(string(name)));
            float[] want = floats(ref.get("photo_embeds"));
            assertAllClose("photo_embeds", want, Clip.toTensor(clip.encodeImages(photos)).toArray(), TOL * maxAbs(want), 0);
        }
    }
}
