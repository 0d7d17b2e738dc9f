package dev.vireo.models.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parity with Pillow 9.4 + Hugging Face's CLIPImageProcessor on the fixtures written by
 * {@code src/test/resources/image/make_preprocess_golden.py}: decoded pixels (CRC-32 of PIL's RGB bytes), the uint8
 * CLIP resize + centre crop, and plain PIL resizes with every filter and fractional boxes. The bar is max |diff| <= 1.
 */
class PreprocessParityTest {
    static final Path ROOT = resourceRoot();

    static Path resourceRoot() {
        try {
            return Path.of(PreprocessParityTest.class.getResource("/image/golden.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode golden() throws IOException {
        return new ObjectMapper().readTree(ROOT.resolve("golden.json").toFile());
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
    List<DynamicTest> decodedPixelsMatchPil() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden().get("decode")) {
            if (!c.has("crc32")) continue;
            String name = c.get("input").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                RgbImage image = ImageDecoder.decode(ROOT.resolve("inputs").resolve(name));
                assertThat(image.width()).as(name + " width").isEqualTo(c.get("width").asInt());
                assertThat(image.height()).as(name + " height").isEqualTo(c.get("height").asInt());
                assertThat(crc(image)).as(name + " CRC-32 of RGB bytes").isEqualTo(c.get("crc32").asLong());
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> clipResizeAndCropMatchHuggingFace() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden().get("decode")) {
            String expected = c.has("clip224") ? c.get("clip224").asText()
                    : c.has("clip_padded") ? c.get("clip_padded").asText() : null;
            if (expected == null) continue;
            String name = c.get("input").asText();
            int shortest = c.path("shortest").asInt(224), crop = c.path("crop").asInt(224);
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
                assertThat(maxDiff(got, want)).as(f + " " + java.util.Arrays.toString(c)).isZero();
            }
        }
    }

    @TestFactory
    List<DynamicTest> pilResizeEveryFilter() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden().get("resize")) {
            String expected = c.get("expected").asText();
            tests.add(DynamicTest.dynamicTest(expected, () -> {
                RgbImage in = ImageDecoder.decode(ROOT.resolve("inputs").resolve(c.get("input").asText()));
                ResampleFilter f = ResampleFilter.fromPil(c.get("filter").asInt());
                int w = c.get("width").asInt(), h = c.get("height").asInt();
                JsonNode box = c.get("box");
                RgbImage actual = box == null ? PilResample.resize(in, w, h, f)
                        : PilResample.resize(in, w, h, f, box.get(0).floatValue(), box.get(1).floatValue(),
                        box.get(2).floatValue(), box.get(3).floatValue());
                assertThat(maxDiff(actual, ImageDecoder.decode(ROOT.resolve(expected)))).as(expected).isZero();
            }));
        }
        return tests;
    }
}
