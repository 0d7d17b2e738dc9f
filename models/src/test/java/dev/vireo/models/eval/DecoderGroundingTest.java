package dev.vireo.models.eval;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.CaptionModel;
import dev.vireo.models.config.BertConfig;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.config.VisionConfig;
import dev.vireo.models.config.VlConfig;
import dev.vireo.models.image.RgbImage;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vl.VlModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decoder grounding's plumbing on a small random captioner: the map is the decoder's attention to
 * the patches (the class token's share left out), the box lands inside the part of a non-square
 * input the model saw, the probe leaves the model as it was, and a VL model without a decoder is
 * refused. (How well it grounds is measured on trained models: {@code demo caption}, {@code demo vl}.)
 */
class DecoderGroundingTest {
    @TempDir
    Path dir;

    private WordPieceTokenizer tokenizer() throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        Files.writeString(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nred\ncircle\nblue\nsquare\n");
        return WordPieceTokenizer.fromVocabTxt(vocab, true);
    }

    private static CaptionModel captioner() {
        return new CaptionModel(new CaptionConfig("micro", new VisionConfig(16, 4, 16, 1, 2, 2.0, "gelu"),
                new BertConfig(10, 16, 2, 2, 32, 12, 0, 1e-12, "gelu", false)), 7);
    }

    @Test
    void theMapIsTheDecodersAttentionToThePatches() throws Exception {
        CaptionModel model = captioner();
        DecoderGrounding grounding = DecoderGrounding.of(model, tokenizer());
        Tensor pixels = Tensor.randn(new Rng(2), 0f, 1f, 1, 3, 16, 16); // (1, 3, S, S)
        float[] map = grounding.heatMap(pixels, "a red circle");
        assertThat(map).hasSize(16);
        double sum = 0;
        for (float v : map) {
            assertThat(v).isBetween(0f, 1f);
            sum += v;
        }
        assertThat(sum).isBetween(0.05, 1.0 + 1e-5); // the class token takes the rest
        try (var ignored = GradMode.noGrad()) {
            Tensor tokens = model.imageTokens(pixels);                             // (1, 1 + P, Cv)
            float[] before = model.logits(new int[] {2, 5, 6}, 1, 3, tokens).toArray();
            grounding.heatMap(pixels, "a blue square");
            float[] after = model.logits(new int[] {2, 5, 6}, 1, 3, tokens).toArray();
            assertThat(after).containsExactly(before); // the probe is gone: the fused kernel again
        }
    }

    @Test
    void aBoxLandsInsideTheWindowTheModelSaw() throws Exception {
        DecoderGrounding grounding = DecoderGrounding.of(captioner(), tokenizer());
        byte[] rgb = new byte[64 * 32 * 3];
        new java.util.Random(4).nextBytes(rgb);
        DecoderGrounding.Located located = grounding.locate(new RgbImage(64, 32, rgb), "a red circle");
        assertThat(located.window().x0()).isEqualTo(16.0); // a 64 × 32 image resized to 32 × 16 and centre-cropped to 16²
        assertThat(located.window().x1()).isEqualTo(48.0);
        assertThat(located.box().x0()).isGreaterThanOrEqualTo(16.0);
        assertThat(located.box().x1()).isLessThanOrEqualTo(48.0);
        assertThat(located.box().y1()).isLessThanOrEqualTo(32.0);
        assertThat(located.grid()).isEqualTo(4);
    }

    @Test
    void aVlModelWithoutADecoderIsRefused() throws Exception {
        VlConfig config = new VlConfig("micro-mid", "mid", 8, new VisionConfig(8, 4, 12, 1, 2, 2.0, "gelu"),
                new BertConfig(10, 8, 2, 2, 16, 10, 2, 1e-12, "gelu", false), 1);
        assertThatThrownBy(() -> DecoderGrounding.of(new VlModel(config, 1), tokenizer())).hasMessageContaining("no text decoder");
        assertThat(DecoderGrounding.of(new VlModel(config.withDecoder(true), 1), tokenizer())).isNotNull();
    }
}
