package dev.vireo.models.image;

import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.engine.testing.Threads;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vireo.engine.testing.Fixtures.integer;
import static dev.vireo.engine.testing.Fixtures.number;
import static dev.vireo.engine.testing.Fixtures.object;
import static dev.vireo.engine.testing.Fixtures.string;
import static dev.vireo.models.image.PreprocessParityTest.ROOT;
import static dev.vireo.models.image.PreprocessParityTest.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Training augmentation: parity of each PIL colour op with torchvision, determinism, and crop invariants. */
class AugmentTest {

    static RgbImage input(String name) {
        return ImageDecoder.decode(ROOT.resolve("inputs").resolve(name));
    }

    @TestFactory
    List<DynamicTest> colourOpsMatchTorchvision() {
        int[] box = Fixtures.ints(object(PreprocessParityTest.golden().get("augment_source")).get("box"));
        RgbImage src = input("dog.jpg").crop(box[0], box[1], box[2] - box[0], box[3] - box[1]);
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : PreprocessParityTest.cases("augment")) {
            String expected = string(c.get("expected"));
            tests.add(DynamicTest.dynamicTest(expected, () -> {
                double f = number(c.getOrDefault("factor", 0.0));
                RgbImage actual = switch (string(c.get("op"))) {
                    case "brightness" -> ColorOps.brightness(src, f);
                    case "contrast" -> ColorOps.contrast(src, f);
                    case "saturation" -> ColorOps.saturation(src, f);
                    case "hue" -> ColorOps.hue(src, f);
                    case "grayscale" -> ColorOps.grayscale(src);
                    default -> PilResample.resize(input("chelsea.png").crop(integer(c.get("left")), integer(c.get("top")),
                            integer(c.get("width")), integer(c.get("height"))), integer(c.get("size")), integer(c.get("size")),
                            ResampleFilter.BICUBIC);
                };
                assertThat(maxDiff(actual, ImageDecoder.decode(ROOT.resolve(expected)))).as(expected).isZero();
            }));
        }
        return tests;
    }

    @Test
    void sameSeedSameBitsForAnyThreadCount() {
        List<RgbImage> images = List.of(input("chelsea.png"), input("rocket.jpg"), input("horse.png"), input("tiny.png"));
        TrainAugment aug = TrainAugment.named("simclr", 64);
        ClipPreprocessor norm = new ClipPreprocessor(ClipPreprocessConfig.openai(64));
        float[] one = Threads.withThreads(1, () -> aug.batch(images, new Rng(42), norm));
        float[] two = Threads.withThreads(2, () -> aug.batch(images, new Rng(42), norm));
        float[] other = aug.batch(images, new Rng(43), norm);
        assertThat(one).hasSize(4 * 3 * 64 * 64);
        assertThat(Arrays.equals(one, two)).as("1 vs 2 threads").isTrue();
        assertThat(Arrays.equals(one, other)).as("seed 42 vs 43").isFalse();
    }

    @Test
    void randomResizedCropBoxesStayInsideAndRespectScaleAndRatio() {
        RandomResizedCrop rrc = RandomResizedCrop.of(224);
        Rng rng = new Rng(1);
        int[][] sizes = {{300, 451}, {427, 640}, {1, 1}, {30, 1200}, {400, 25}};
        for (int[] hw : sizes) {
            boolean ordinary = hw[0] >= 300 && hw[1] >= 300;
            for (int i = 0; i < 500; i++) {
                RandomResizedCrop.Box b = rrc.sample(hw[0], hw[1], rng);
                assertThat(b.top()).isBetween(0, hw[0] - b.height());
                assertThat(b.left()).isBetween(0, hw[1] - b.width());
                assertThat(b.height()).isBetween(1, hw[0]);
                assertThat(b.width()).isBetween(1, hw[1]);
                if (ordinary) { // side rounding moves area and ratio by well under 5% at these sizes
                    double area = (double) b.height() * b.width() / ((double) hw[0] * hw[1]);
                    double ratio = (double) b.width() / b.height();
                    assertThat(area).isBetween(0.08 * 0.95, 1.0);
                    assertThat(ratio).isBetween(0.75 * 0.95, 4.0 / 3 * 1.05);
                }
            }
        }
        // a 40:1 strip never fits a sampled box: the fallback is central with the ratio clamped to 4/3
        assertThat(rrc.sample(30, 1200, new Rng(3))).satisfies(b -> assertThat((double) b.width() / b.height()).isBetween(1.2, 1.4));
    }

    @Test
    void fullScaleCropOfMatchingAspectIsTheWholeImage() {
        RandomResizedCrop rrc = new RandomResizedCrop(32, 1.0, 1.0, 1.5, 1.5, ResampleFilter.BILINEAR);
        RandomResizedCrop.Box b = rrc.sample(20, 30, new Rng(9));
        assertThat(b).isEqualTo(new RandomResizedCrop.Box(0, 0, 20, 30));
    }

    @Test
    void flipTwiceIsIdentityAndGreyHasEqualChannels() {
        RgbImage img = input("chelsea.png");
        assertThat(img.flipHorizontal().flipHorizontal().pixels()).isEqualTo(img.pixels());
        RgbImage grey = ColorOps.grayscale(img);
        for (int i = 0; i < grey.pixels().length; i += 3) {
            assertThat(grey.pixels()[i]).isEqualTo(grey.pixels()[i + 1]).isEqualTo(grey.pixels()[i + 2]);
        }
    }

    @Test
    void neutralJitterFactorsChangeNothing() {
        RgbImage img = input("rocket.jpg").crop(100, 100, 80, 60);
        assertThat(ColorOps.brightness(img, 1.0).pixels()).isEqualTo(img.pixels());
        assertThat(ColorOps.contrast(img, 1.0).pixels()).isEqualTo(img.pixels());
        assertThat(ColorOps.saturation(img, 1.0).pixels()).isEqualTo(img.pixels());
        assertThat(new ColorJitter(0, 0, 0, 0).apply(img, new Rng(5)).pixels()).isEqualTo(img.pixels());
    }

    @Test
    void presetsAndValidation() {
        assertThat(TrainAugment.list()).contains("openclip", "simclr");
        RgbImage out = TrainAugment.named("openclip", 48).apply(input("dog.jpg"), new Rng(0));
        assertThat(out.width()).isEqualTo(48);
        assertThat(out.height()).isEqualTo(48);
        assertThatThrownBy(() -> TrainAugment.named("nope", 48)).hasMessageContaining("nope").hasMessageContaining("simclr");
        assertThatThrownBy(() -> new ColorJitter(0, 0, 0, 0.7)).hasMessageContaining("hue");
        assertThatThrownBy(() -> new RandomResizedCrop(8, 0.5, 0.2, 1, 1, ResampleFilter.BICUBIC)).hasMessageContaining("scale");
    }
}
