package dev.vireo.models.hf;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.image.ClipPreprocessConfig;
import dev.vireo.models.image.ClipPreprocessor;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The {@code Clip} façade against transformers itself, the second reference beside our own
 * re-implementation of CLIPModel (HfParityTest): {@code CLIPModel.from_pretrained} on the tiny folder,
 * in float64, with its Pillow image processor and its tokenizer (hf/make_transformers_references.py).
 * Covers what a user calls: {@code load}, {@code encodeImages} on real non-square photos (PNG and JPEG,
 * resized and centre-cropped), {@code encodeTexts} with truncation, and {@code zeroShotClassifier}.
 */
class TransformersParityTest {
    static final Path TINY = Fixtures.path(TransformersParityTest.class, "/hf/tiny-clip");
    static final Path PHOTOS = Fixtures.path(TransformersParityTest.class, "/image/inputs");
    static final Map<String, Object> REF = Fixtures.json(TransformersParityTest.class, "/hf/tiny-clip/transformers_expected.json");
    /** Largest error allowed, relative to the largest expected magnitude, as in HfParityTest. */
    static final double TOL = 1e-4;

    static Clip clip;

    @BeforeAll
    static void load() throws IOException {
        clip = Clip.load(TINY);
    }

    @AfterAll
    static void close() throws Exception {
        clip.close();
    }

    static List<Path> photos() {
        List<Path> out = new ArrayList<>();
        for (Object name : list(REF.get("photos"))) out.add(PHOTOS.resolve(string(name)));
        return out;
    }

    static float[] flat(float[][] rows) {
        return Clip.toTensor(rows).toArray();
    }

    @Test
    void forwardMatchesTransformersOnTheSameInputs() {
        HfParityTest.Expected x = HfParityTest.expected("tiny-clip");
        Map<String, Object> forward = object(REF.get("forward"));
        float[] image = floats(forward.get("image_embeds")), text = floats(forward.get("text_embeds"));
        float[] logits = floats(forward.get("logits_per_image"));
        ClipModel model = clip.model();
        try (var ignored = GradMode.noGrad()) {
            Tensor img = model.encodeImage(x.pixels());                    // (3, E)
            Tensor txt = model.encodeText(x.ids(), x.batch(), x.length()); // (4, E)
            assertAllClose("image_embeds", image, img.toArray(), TOL * maxAbs(image), 0);
            assertAllClose("text_embeds", text, txt.toArray(), TOL * maxAbs(text), 0);
            assertAllClose("logits_per_image", logits, model.logits(img, txt).toArray(), TOL * maxAbs(logits), 0);
        }
        // Both references agree with each other too, so a shared mistake would have to be in both.
        assertAllClose("reference vs transformers", x.image(), image, 1e-9 * maxAbs(image), 0);
    }

    @Test
    void photosAreProcessedAsTheImageProcessorDoes() {
        List<Path> files = photos();
        List<Object> sizes = list(REF.get("photo_sizes"));
        ClipPreprocessor pre = new ClipPreprocessor(ClipPreprocessConfig.fromJson(TINY.resolve("preprocessor_config.json")));
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            var image = ImageDecoder.decode(files.get(i));
            int[] wh = ints(sizes.get(i));
            assertThat(new int[] {image.width(), image.height()}).as("%s (width, height)", files.get(i)).containsExactly(wh);
            assertThat(wh[0]).as("a non-square photo").isNotEqualTo(wh[1]);
            images.add(image);
        }
        float[] want = floats(REF.get("photo_pixel_values"));
        assertAllClose("pixel_values", want, pre.preprocessBatch(images), 1e-5, 0);
    }

    @Test
    void encodeImagesMatchesGetImageFeatures() {
        float[] want = floats(REF.get("photo_embeds"));
        assertAllClose("encodeImages", want, flat(clip.encodeImages(photos())), TOL * maxAbs(want), 0);
    }

    @Test
    void encodeTextsTokenisesTruncatesAndMatchesGetTextFeatures() {
        List<String> captions = list(REF.get("captions")).stream().map(Fixtures::string).toList();
        List<Object> ids = list(REF.get("caption_ids"));
        int context = clip.model().config().text().contextLength();
        for (int i = 0; i < captions.size(); i++) {
            assertThat(clip.tokenizer().encode(captions.get(i), context)).as("ids of %s", captions.get(i)).containsExactly(ints(ids.get(i)));
        }
        float[] want = floats(REF.get("caption_embeds"));
        assertAllClose("encodeTexts", want, flat(clip.encodeTexts(captions)), TOL * maxAbs(want), 0);
    }

    @Test
    void zeroShotProbabilitiesMatch() {
        String template = string(REF.get("template"));
        List<String> prompts = list(REF.get("labels")).stream().map(l -> template.replace("{}", string(l))).toList();
        float[][] probs = clip.zeroShotClassifier(clip.encodeImages(photos()), clip.encodeTexts(prompts));
        float[] want = floats(REF.get("zeroshot_probs"));
        assertAllClose("zero-shot probabilities", want, flat(probs), TOL, 0);
        assertThat(maxAbs(want)).as("a fixture whose probabilities are not all uniform").isGreaterThan(1.5f / prompts.size());
    }
}
