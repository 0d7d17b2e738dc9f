package dev.vireo.models.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.engine.testing.Fixtures;
import dev.vireo.engine.testing.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vireo.models.image.PreprocessParityTest.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CLIP preprocessing: config parsing, HF size and crop rounding, the float stage, batch layout and threads. */
class ClipPreprocessorTest {
    /** openai/clip-vit-base-patch32's preprocessor_config.json as published on the Hugging Face hub. */
    static final String OPENAI_JSON = """
            {"crop_size": 224, "do_center_crop": true, "do_normalize": true, "do_resize": true,
             "feature_extractor_type": "CLIPFeatureExtractor",
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
             "resample": 3, "size": 224}""";

    static RgbImage input(String name) {
        return ImageDecoder.decode(ROOT.resolve("inputs").resolve(name));
    }

    @Test
    void aConfigAskingForHugeImagesIsRefusedBeforeAnyImageIsMade() throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (String json : List.of("{\"crop_size\": {\"height\": 100000, \"width\": 224}}", "{\"crop_size\": 2147483647}",
                "{\"size\": {\"shortest_edge\": 50000}}", "{\"size\": {\"height\": 224, \"width\": 9000}}")) {
            assertThatThrownBy(() -> ClipPreprocessConfig.fromJson(m.readTree(json), "preprocessor_config.json"))
                    .as(json).hasMessageContaining("up to " + ClipPreprocessConfig.MAX_SIDE).hasMessageNotContaining("\n");
        }
        assertThat(ClipPreprocessConfig.fromJson(m.readTree("{\"crop_size\": 336, \"size\": 336}"), "ok.json").cropHeight()).isEqualTo(336);
    }

    @Test
    void readsHubConfigsInBothSizeForms(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("preprocessor_config.json");
        Files.writeString(file, OPENAI_JSON);
        assertThat(ClipPreprocessConfig.fromJson(file)).isEqualTo(ClipPreprocessConfig.openai());
        JsonNode modern = new ObjectMapper().readTree("""
                {"size": {"shortest_edge": 336}, "crop_size": {"height": 336, "width": 320}, "resample": 2,
                 "do_normalize": false, "rescale_factor": 0.5}""");
        ClipPreprocessConfig c = ClipPreprocessConfig.fromJson(modern, "modern.json");
        assertThat(c.shortestEdge()).isEqualTo(336);
        assertThat(c.cropHeight()).isEqualTo(336);
        assertThat(c.cropWidth()).isEqualTo(320);
        assertThat(c.resample()).isEqualTo(ResampleFilter.BILINEAR);
        assertThat(c.doNormalize()).isFalse();
        assertThat(c.rescaleFactor()).isEqualTo(0.5);
        ClipPreprocessConfig square = ClipPreprocessConfig.fromJson(new ObjectMapper().readTree(
                "{\"size\": {\"height\": 256, \"width\": 192}, \"do_center_crop\": false}"), "siglip.json");
        assertThat(ClipPreprocessor.resizedSize(square, 300, 451)).containsExactly(256, 192);
        assertThatThrownBy(() -> ClipPreprocessConfig.fromJson(new ObjectMapper().readTree("{\"size\": {\"longest_edge\": 3}}"), "bad.json"))
                .hasMessageContaining("bad.json").hasMessageContaining("shortest_edge");
        assertThatThrownBy(() -> ClipPreprocessConfig.fromJson(new ObjectMapper().readTree("{\"resample\": 9}"), "x.json"))
                .hasMessageContaining("9");
    }

    @Test
    void valuesOfTheWrongTypeOrRangeAreRefusedNamingTheFile() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> ClipPreprocessConfig.fromJson(json.readTree("{\"image_std\": [0.2, 0, 0.3]}"), "zero.json"))
                .hasMessageStartingWith("zero.json: ").hasMessageContaining("image_std").hasMessageContaining("positive");
        assertThatThrownBy(() -> ClipPreprocessConfig.fromJson(json.readTree("{\"image_mean\": [\"a\", \"b\", \"c\"]}"), "text.json"))
                .hasMessageStartingWith("text.json: ").hasMessageContaining("image_mean must be a number or 3 numbers");
        assertThatThrownBy(() -> ClipPreprocessConfig.fromJson(json.readTree("{\"rescale_factor\": -1}"), "neg.json"))
                .hasMessageStartingWith("neg.json: ").hasMessageContaining("rescale_factor");
    }

    /** What 'bench fuzz clip-preprocess-config' (#23) sent: each a one-line IllegalArgumentException naming the file and the field. */
    @Test
    void damagedFilesSayWhatAndWhereOnOneLine(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        // sizes and the filter code that are not ints were read as others: 1e400 as 2^31 - 1, 224.9 as 224, "bicubic" as 0 (nearest)
        assertOneLine(() -> ClipPreprocessConfig.fromJson(json.readTree("{\"size\": {\"shortest_edge\": 1e400}}"), "a.json"),
                "a.json: size.shortest_edge must be an integer, got \"Infinity\"");
        assertOneLine(() -> ClipPreprocessConfig.fromJson(json.readTree("{\"crop_size\": {\"height\": 224.9, \"width\": 224}}"), "b.json"),
                "b.json: crop_size.height must be an integer, got 224.9");
        assertOneLine(() -> ClipPreprocessConfig.fromJson(json.readTree("{\"resample\": \"bicubic\"}"), "c.json"),
                "c.json: resample must be a PIL filter code (0..5), got \"bicubic\"");
        // not JSON: UncheckedIOException "cannot read", the reason only in its cause, before
        Path file = Files.writeString(dir.resolve("preprocessor_config.json"), "{\"size\": {\"shortest_edge\": 224}");
        assertOneLine(() -> ClipPreprocessConfig.fromJson(file), "preprocessor_config.json: not valid JSON: Unexpected end-of-input");
    }

    private static void assertOneLine(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void resizeSizeTruncatesTheLongSideLikeHuggingFace() {
        ClipPreprocessConfig c = ClipPreprocessConfig.openai();
        assertThat(ClipPreprocessor.resizedSize(c, 300, 451)).containsExactly(224, 336); // 336.77 -> 336
        assertThat(ClipPreprocessor.resizedSize(c, 427, 640)).containsExactly(224, 335); // 335.7 -> 335
        assertThat(ClipPreprocessor.resizedSize(c, 400, 25)).containsExactly(3584, 224);
        assertThat(ClipPreprocessor.resizedSize(c, 1, 1)).containsExactly(224, 224);
        assertThat(ClipPreprocessor.resizedSize(c, 224, 224)).containsExactly(224, 224);
    }

    @Test
    void centreCropFloorsOddMarginsAndPadsSmallImages() {
        RgbImage img = RgbImage.blank(5, 4);
        for (int i = 0; i < img.pixels().length; i++) img.pixels()[i] = (byte) (i / 3 + 1);
        RgbImage c = ClipPreprocessor.centerCrop(img, 3, 2); // margins 1 (rows) and 3 (cols): top 0, left 1
        assertThat(c.get(0, 0, 0)).isEqualTo(img.get(1, 0, 0));
        RgbImage p = ClipPreprocessor.centerCrop(img, 7, 8); // pad: 2 rows above (ceil 3/2), 2 columns left (ceil 3/2)
        assertThat(p.width()).isEqualTo(8);
        assertThat(p.height()).isEqualTo(7);
        assertThat(p.get(1, 1, 0)).isZero();
        assertThat(p.get(2, 2, 0)).isEqualTo(img.get(0, 0, 0));
        assertThat(p.get(6, 5, 0)).isEqualTo(img.get(4, 3, 0));
    }

    @Test
    void floatStageMatchesHuggingFaceBitForBit() throws Exception {
        Map<String, Object> f = Fixtures.object(PreprocessParityTest.golden().get("floats"));
        float[] out = new ClipPreprocessor(ClipPreprocessConfig.openai()).preprocess(input(Fixtures.string(f.get("input"))));
        assertThat(out).hasSize(3 * 224 * 224);
        int[] index = Fixtures.ints(f.get("index"));
        float[] hf = Fixtures.floats(f.get("hf")), torchvision = Fixtures.floats(f.get("torchvision"));
        double maxVsTorchvision = 0;
        for (int k = 0; k < index.length; k++) {
            int i = index[k];
            assertThat(out[i]).as("index " + i).isEqualTo(hf[k]);
            maxVsTorchvision = Math.max(maxVsTorchvision, Math.abs(out[i] - torchvision[k]));
        }
        assertThat(maxVsTorchvision).as("HF vs torchvision float conventions").isLessThan(1e-6);
    }

    @Test
    void batchIsChannelsFirstAndThreadIndependent() {
        List<RgbImage> images = List.of(input("chelsea.png"), input("tall.png"), input("palette.gif"));
        ClipPreprocessor pre = new ClipPreprocessor(ClipPreprocessConfig.openai());
        float[] one = Threads.withThreads(1, () -> pre.preprocessBatch(images));
        float[] two = Threads.withThreads(2, () -> pre.preprocessBatch(images));
        assertThat(Arrays.equals(one, two)).isTrue();
        int per = 3 * 224 * 224;
        for (int b = 0; b < images.size(); b++) {
            assertThat(Arrays.copyOfRange(one, b * per, (b + 1) * per)).isEqualTo(pre.preprocess(images.get(b)));
        }
        RgbImage crop = pre.resizeAndCrop(images.get(0));
        int x = 17, y = 101;
        float green = (float) (crop.get(x, y, 1) * (1 / 255.0));
        assertThat(one[224 * 224 + y * 224 + x]).isEqualTo((green - 0.4578275f) / 0.26130258f);
        Tensor t = pre.toTensor(images);
        assertThat(t.shape()).containsExactly(3, 3, 224, 224);
    }

    @Test
    void batchOfDifferentShapesWithoutCropIsRejected() {
        ClipPreprocessConfig base = ClipPreprocessConfig.openai();
        ClipPreprocessConfig noCrop = new ClipPreprocessConfig(true, 64, 0, 0, ResampleFilter.BICUBIC, false, 0, 0,
                true, 1 / 255.0, true, base.imageMean(), base.imageStd());
        assertThatThrownBy(() -> new ClipPreprocessor(noCrop).preprocessBatch(List.of(input("chelsea.png"), input("tall.png"))))
                .hasMessageContaining("image 1");
    }
}
