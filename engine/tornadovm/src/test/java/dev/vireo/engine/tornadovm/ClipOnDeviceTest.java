package dev.vireo.engine.tornadovm;

import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.Clip;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.config.ClipConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CLIP towers on the TornadoVM device against the CPU: image and text features within 1e-4 of the
 * largest feature (the device sums in another order), on the tiny Hugging Face model the models
 * module's tests load and on a ViT-B/32 with random weights; and every op of those passes on the
 * device, none handed back to the CPU.
 */
class ClipOnDeviceTest {
    private static final double RELATIVE = 1e-4;

    @BeforeEach
    void runtimePresent() {
        String reason = ComputeProvider.statuses().get("tornado");
        assumeTrue(reason == null, () -> "no TornadoVM runtime: " + reason);
    }

    @Test
    void theTinyHuggingFaceClipGivesTheCpusFeatures() throws Exception {
        Path folder = Path.of("../../models/src/test/resources/hf/tiny-clip");
        List<String> texts = List.of("a photo of a cat", "two dogs playing in the snow", "");
        try (Clip cpu = Clip.load(folder, Clip.Options.defaults().withBackend("cpu"));
             Clip device = Clip.load(folder, Clip.Options.defaults().withBackend("tornado"))) {
            assertThat(device.backend()).isEqualTo("tornado");
            int side = cpu.model().config().vision().imageSize();
            float[] pixels = Tensor.randn(new Rng(7), 0, 1, 2, 3, side, side).toArray(); // (2, 3, S, S)
            assertClose("tiny image features", cpu.encodePreprocessed(pixels, 2), device.encodePreprocessed(pixels, 2));
            assertClose("tiny text features", cpu.encodeTexts(texts), device.encodeTexts(texts));
        }
    }

    @Test
    void aViTB32WithRandomWeightsGivesTheCpusFeaturesAllOnTheDevice() {
        ClipModel model = new ClipModel(ClipConfig.create("ViT-B-32"), 0);
        model.eval();
        List<Tensor> weights = model.namedParameters().values().stream().map(Parameter::value).toList();
        ComputeProvider cpu = ComputeProvider.named("cpu");
        TornadoProvider device = (TornadoProvider) ComputeProvider.named("tornado");
        device.register(weights);
        try (var ignored = GradMode.noGrad()) {
            Tensor images = Tensor.randn(new Rng(3), 0, 1, 2, 3, 224, 224); // (2, 3, 224, 224)
            int[] ids = new int[2 * 77];                                    // (2, 77): start, words, end, padding
            for (int b = 0; b < 2; b++) {
                ids[b * 77] = 49406;
                for (int t = 1; t < 20 + 30 * b; t++) ids[b * 77 + t] = 1 + (t * 7919 + b * 104729) % 49000;
                ids[b * 77 + 20 + 30 * b] = 49407;
            }
            var before = device.stats().cpuFallbacks();
            float[] expectedImage = ComputeProvider.using(cpu, () -> model.encodeImage(images)).toArray(); // (2, 512)
            float[] actualImage = ComputeProvider.using(device, () -> model.encodeImage(images)).toArray();  // (2, 512)
            float[] expectedText = ComputeProvider.using(cpu, () -> model.encodeText(ids, 2, 77)).toArray();  // (2, 512)
            float[] actualText = ComputeProvider.using(device, () -> model.encodeText(ids, 2, 77)).toArray();   // (2, 512)
            assertClose("ViT-B/32 image features", new float[][] {expectedImage}, new float[][] {actualImage});
            assertClose("ViT-B/32 text features", new float[][] {expectedText}, new float[][] {actualText});
            assertThat(device.stats().cpuFallbacks()).as("ops handed to the CPU").isEqualTo(before);
            assertThat(device.stats().deviceOps()).containsKeys("encoder", "linear", "layerNorm");
        } finally {
            device.release(weights);
        }
    }

    private static void assertClose(String what, float[][] expected, float[][] actual) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double largest = 0, worst = 0;
            for (float v : expected[i]) largest = Math.max(largest, Math.abs(v));
            for (int j = 0; j < expected[i].length; j++) worst = Math.max(worst, Math.abs((double) actual[i][j] - expected[i][j]));
            assertThat(worst).as(what + " row " + i + ": max |device − cpu| against 1e-4 · max |cpu| = " + RELATIVE * largest)
                    .isLessThanOrEqualTo(RELATIVE * largest);
        }
    }
}
