package dev.vireo.models.image;

import dev.vireo.engine.tensor.Rng;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.integer;
import static dev.vireo.engine.testing.Fixtures.string;
import static dev.vireo.models.image.PreprocessParityTest.ROOT;
import static dev.vireo.models.image.PreprocessParityTest.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pure-Java JPEG decoder: bit-exact with javax.imageio + libjpeg-turbo conversion at scale 1, and with PIL's
 * draft() (libjpeg-turbo's scaled decoding) at 1/2, 1/4 and 1/8.
 */
class JpegBaselineDecoderTest {

    static byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(ROOT.resolve("inputs").resolve(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocket.jpg", "dog.jpg", "person.jpg", "gray.jpg", "exif_1.jpg", "exif_6.jpg", "exif_7.jpg"})
    void scaleOneEqualsImageDecoder(String name) throws Exception {
        byte[] data = bytes(name);
        RgbImage expected = ImageDecoder.decode(data, name);
        RgbImage actual = JpegBaselineDecoder.decode(data, name, 1);
        assertThat(maxDiff(actual, expected)).as(name).isZero();
    }

    @TestFactory
    List<DynamicTest> scaledDecodingMatchesPilDraft() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : PreprocessParityTest.cases("draft")) {
            String name = string(c.get("input"));
            int d = integer(c.get("denominator"));
            tests.add(DynamicTest.dynamicTest(name + " at 1/" + d, () -> {
                RgbImage img = JpegBaselineDecoder.decode(bytes(name), name, d);
                assertThat(img.width()).isEqualTo(integer(c.get("width")));
                assertThat(img.height()).isEqualTo(integer(c.get("height")));
                assertThat(PreprocessParityTest.crc(img)).as("CRC-32 vs PIL draft()").isEqualTo(((Number) c.get("crc32")).longValue());
            }));
        }
        return tests;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void scaledOutputHasCeilSizeAndStaysCloseToTheResizedFullImage(int d) throws Exception {
        for (String name : new String[]{"rocket.jpg", "dog.jpg", "exif_1.jpg"}) {
            byte[] data = bytes(name);
            RgbImage full = JpegBaselineDecoder.decode(data, name, 1);
            RgbImage small = JpegBaselineDecoder.decode(data, name, d);
            assertThat(small.width()).isEqualTo((full.width() + d - 1) / d);
            assertThat(small.height()).isEqualTo((full.height() + d - 1) / d);
            RgbImage box = PilResample.resize(full, small.width(), small.height(), ResampleFilter.BOX);
            assertThat(meanAbsDiff(small, box)).as(name + " at 1/" + d).isLessThan(4.0);
        }
    }

    @Test
    void refusesWhatItDoesNotImplementAndReportsTruncation() throws Exception {
        assertThatThrownBy(() -> JpegBaselineDecoder.decode(bytes("progressive.jpg"), "progressive.jpg", 1))
                .isInstanceOf(JpegBaselineDecoder.Unsupported.class);
        assertThatThrownBy(() -> JpegBaselineDecoder.decode(bytes("cmyk.jpg"), "cmyk.jpg", 1))
                .isInstanceOf(JpegBaselineDecoder.Unsupported.class);
        byte[] dog = bytes("dog.jpg");
        assertThatThrownBy(() -> JpegBaselineDecoder.decode(Arrays.copyOf(dog, dog.length * 2 / 3), "cut.jpg", 1))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("cut.jpg").hasMessageContaining("truncated");
        assertThatThrownBy(() -> JpegBaselineDecoder.decode(bytes("truncated.jpg"), "truncated.jpg", 1))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("truncated.jpg");
    }

    @Test
    void corruptedBytesGiveOnlyDecodeErrors() throws Exception {
        byte[] original = bytes("exif_1.jpg");
        Rng rng = new Rng(11);
        int decoded = 0, refused = 0;
        for (int trial = 0; trial < 200; trial++) {
            byte[] data = original.clone();
            for (int k = 0; k < 1 + trial % 8; k++) data[2 + rng.nextInt(data.length - 2)] = (byte) rng.nextInt(256);
            try {
                RgbImage img = JpegBaselineDecoder.decode(data, "fuzz-" + trial + ".jpg", 1 << (trial % 4));
                assertThat(img.pixels()).isNotEmpty();
                decoded++;
            } catch (ImageDecodeException e) {
                assertThat(e.getMessage()).contains("fuzz-" + trial + ".jpg").doesNotContain("\n");
                refused++;
            } catch (JpegBaselineDecoder.Unsupported e) {
                refused++;
            }
        }
        // any other exception has already failed the test; the corruptions must reach both outcomes
        assertThat(decoded).as("corruptions the decoder still decodes").isPositive();
        assertThat(refused).as("corruptions it refuses").isPositive();
    }

    @Test
    void denominatorKeepsTheShortSideAboveTheTarget() {
        assertThat(JpegBaselineDecoder.denominatorFor(768, 576, 224)).isEqualTo(2);
        assertThat(JpegBaselineDecoder.denominatorFor(1411, 1411, 224)).isEqualTo(4);
        assertThat(JpegBaselineDecoder.denominatorFor(640, 427, 224)).isEqualTo(1);
        assertThat(JpegBaselineDecoder.denominatorFor(4000, 3000, 224)).isEqualTo(8);
        assertThat(JpegBaselineDecoder.size(new byte[]{(byte) 0xFF, (byte) 0xD8})).isNull();
    }

    @Test
    void decodeAtLeastReducesLargeJpegsAndFallsBackOtherwise() throws Exception {
        RgbImage dog = ImageDecoder.decodeAtLeast(bytes("dog.jpg"), "dog.jpg", 224); // 768x576 -> 1/2
        assertThat(dog.width()).isEqualTo(384);
        assertThat(dog.height()).isEqualTo(288);
        RgbImage rocket = ImageDecoder.decodeAtLeast(bytes("rocket.jpg"), "rocket.jpg", 224); // 427 < 448: full size
        assertThat(maxDiff(rocket, ImageDecoder.decode(bytes("rocket.jpg"), "rocket.jpg"))).isZero();
        RgbImage progressive = ImageDecoder.decodeAtLeast(bytes("progressive.jpg"), "progressive.jpg", 16);
        assertThat(maxDiff(progressive, ImageDecoder.decode(bytes("progressive.jpg"), "progressive.jpg"))).isZero();
        RgbImage png = ImageDecoder.decodeAtLeast(bytes("chelsea.png"), "chelsea.png", 16);
        assertThat(png.width()).isEqualTo(451);
    }

    static double meanAbsDiff(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) sum += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
        return (double) sum / a.pixels().length;
    }
}
