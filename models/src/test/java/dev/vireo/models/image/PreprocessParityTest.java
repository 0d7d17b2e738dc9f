package dev.vireo.models.image;

import dev.vireo.engine.testing.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static dev.vireo.engine.testing.Fixtures.integer;
import static dev.vireo.engine.testing.Fixtures.list;
import static dev.vireo.engine.testing.Fixtures.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parity with Pillow 9.4 + Hugging Face's CLIPImageProcessor on the fixtures written by
 * {@code src/test/resources/image/make_preprocess_golden.py}: decoded pixels (CRC-32 of PIL's RGB bytes), the uint8
 * CLIP resize + centre crop, and plain PIL resizes with every filter and fractional boxes. The bar is max |diff| <= 1.
 */
class PreprocessParityTest {
    static final Path ROOT = Fixtures.path(PreprocessParityTest.class, "/image");

    static Map<String, Object> golden() {
        return Fixtures.json(PreprocessParityTest.class, "/image/golden.json");
    }

    /** The cases of one section of golden.json. */
    static List<Map<String, Object>> cases(String section) {
        return list(golden().get(section)).stream().map(Fixtures::object).toList();
    }

    /** Max |a - b| over all bytes of two equally sized images. */
    static int maxDiff(RgbImage a, RgbImage b) {
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        int max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF)));
        }
        return max;
    }

    static long crc(RgbImage image) {
        CRC32 crc = new CRC32();
        crc.update(image.pixels());
        return crc.getValue();
    }

    @TestFactory
    List<DynamicTest> decodedPixelsMatchPil() {
        return decodedAsPillow(cases("decode").stream().filter(c -> c.containsKey("crc32")).toList());
    }

    @TestFactory
    List<DynamicTest> pngEXifOrientationIsAppliedAsPillowDoes() {
        return decodedAsPillow(list(Fixtures.json(PreprocessParityTest.class, "/image/exif_png_golden.json").get("cases"))
                .stream().map(Fixtures::object).toList());
    }

    /** One test per case: the input decodes to Pillow's width, height and CRC-32 of the RGB bytes. */
    private static List<DynamicTest> decodedAsPillow(List<Map<String, Object>> cases) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            String name = string(c.get("input"));
            tests.add(DynamicTest.dynamicTest(name, () -> {
                RgbImage image = ImageDecoder.decode(ROOT.resolve("inputs").resolve(name));
                assertThat(image.width()).as(name + " width").isEqualTo(integer(c.get("width")));
                assertThat(image.height()).as(name + " height").isEqualTo(integer(c.get("height")));
                assertThat(crc(image)).as(name + " CRC-32 of RGB bytes").isEqualTo(((Number) c.get("crc32")).longValue());
            }));
        }
        return tests;
    }

    @Test
    void damagedGifsAreRefusedWherePillowRefusesThem() {
        int agree = 0, refusedByBoth = 0;
        List<String> disagree = new ArrayList<>();
        List<Object> cases = list(Fixtures.json(PreprocessParityTest.class, "/image/gif_golden.json").get("cases"));
        for (Object o : cases) {
            Map<String, Object> c = Fixtures.object(o);
            String name = string(c.get("input"));
            boolean pillowOk = string(c.get("pillow")).equals("ok");
            boolean ours;
            try {
                ImageDecoder.decode(ROOT.resolve("gif").resolve(name));
                ours = true;
            } catch (ImageDecodeException e) {
                assertThat(e.getMessage()).contains(name).doesNotContain("\n");
                ours = false;
            }
            if (ours == pillowOk) agree++;
            else disagree.add(name + " (Pillow: " + c.get("pillow") + ")");
            if (!ours && !pillowOk) refusedByBoth++;
        }
        assertThat(disagree).as("verdicts that differ from Pillow's").isEmpty();
        assertThat(agree).isEqualTo(cases.size());
        assertThat(refusedByBoth).isGreaterThan(40);
    }

    @TestFactory
    List<DynamicTest> clipResizeAndCropMatchHuggingFace() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases("decode")) {
            String expected = c.containsKey("clip224") ? string(c.get("clip224"))
                    : c.containsKey("clip_padded") ? string(c.get("clip_padded")) : null;
            if (expected == null) continue;
            String name = string(c.get("input"));
            int shortest = integer(c.getOrDefault("shortest", 224)), crop = integer(c.getOrDefault("crop", 224));
            tests.add(DynamicTest.dynamicTest(name + " -> " + expected, () -> {
                ClipPreprocessConfig base = ClipPreprocessConfig.openai();
                ClipPreprocessConfig config = new ClipPreprocessConfig(true, shortest, 0, 0, ResampleFilter.BICUBIC,
                        true, crop, crop, true, 1 / 255.0, true, base.imageMean(), base.imageStd());
                RgbImage actual = new ClipPreprocessor(config).resizeAndCrop(ImageDecoder.decode(ROOT.resolve("inputs").resolve(name)));
                RgbImage want = ImageDecoder.decode(ROOT.resolve(expected));
                assertThat(maxDiff(actual, want)).as(name + " max |diff| vs PIL").isZero();
            }));
        }
        return tests;
    }

    @Test
    void resizeWindowEqualsResizeThenCrop() {
        RgbImage in = ImageDecoder.decode(ROOT.resolve("inputs").resolve("chelsea.png"));
        int[][] cases = {{336, 224, 56, 0, 224, 224}, {97, 61, 0, 0, 97, 61}, {517, 343, 100, 37, 211, 300},
                {451, 150, 10, 20, 400, 130}, {200, 300, 3, 5, 190, 280}, {1, 1, 0, 0, 1, 1}};
        for (ResampleFilter f : ResampleFilter.values()) {
            for (int[] c : cases) {
                RgbImage want = PilResample.resize(in, c[0], c[1], f).crop(c[2], c[3], c[4], c[5]);
                RgbImage got = PilResample.resizeWindow(in, c[0], c[1], f, c[2], c[3], c[4], c[5]);
                assertThat(maxDiff(got, want)).as(f + " " + Arrays.toString(c)).isZero();
            }
        }
    }

    @TestFactory
    List<DynamicTest> pilResizeEveryFilter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases("resize")) {
            String expected = string(c.get("expected"));
            tests.add(DynamicTest.dynamicTest(expected, () -> {
                RgbImage in = ImageDecoder.decode(ROOT.resolve("inputs").resolve(string(c.get("input"))));
                ResampleFilter f = ResampleFilter.fromPil(integer(c.get("filter")));
                int w = integer(c.get("width")), h = integer(c.get("height"));
                float[] box = c.containsKey("box") ? Fixtures.floats(c.get("box")) : null;
                RgbImage actual = box == null ? PilResample.resize(in, w, h, f)
                        : PilResample.resize(in, w, h, f, box[0], box[1], box[2], box[3]);
                assertThat(maxDiff(actual, ImageDecoder.decode(ROOT.resolve(expected)))).as(expected).isZero();
            }));
        }
        return tests;
    }
}
