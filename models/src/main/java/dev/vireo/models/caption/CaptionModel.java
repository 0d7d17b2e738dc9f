package dev.vireo.models.caption;

import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.VisionTransformer;
import dev.vireo.models.config.CaptionConfig;
import dev.vireo.models.generate.Decoder;
import dev.vireo.models.generate.ImageTextDecoding;

/**
 * Vireo's image captioner (BLIP's captioning model in small; {@link CaptionConfig}): the ViT's
 * tokens, class token first, are what every layer of the {@link TextDecoder} cross-attends to. Names
 * follow {@code BlipForConditionalGeneration}: {@code vision_model}, {@code text_decoder}.
 */
public final class CaptionModel extends Module implements ImageTextDecoding {
    private final CaptionConfig config;
    private final VisionTransformer vision;
    private final TextDecoder decoder;

    public CaptionModel(CaptionConfig config, long seed) {
        this(config, new Rng(seed));
    }

    public CaptionModel(CaptionConfig config, Rng rng) {
        this.config = config;
        this.vision = child("vision_model", new VisionTransformer(rng, config.vision()));
        this.decoder = child("text_decoder", new TextDecoder(rng, config.text(), config.vision().width()));
    }

    public CaptionConfig config() {
        return config;
    }

    public TextDecoder decoder() {
        return decoder;
    }

    @Override
    public int imageSize() {
        return config.vision().imageSize();
    }

    @Override
    public int maxPositions() {
        return config.text().maxPositions();
    }

    /** images (B, 3, S, S), normalised → the tokens the decoder reads (B, P+1, Cv). */
    @Override
    public Tensor imageTokens(Tensor images) {
        return vision.forwardTokens(images); // (B, P+1, Cv)
    }

    /** Teacher-forced next-token logits (R, T, V) of R token rows (ids R·T), row r reading image tokens r of (R, S, Cv). */
    @Override
    public Tensor logits(int[] ids, int rows, int length, Tensor imageTokens) {
        return decoder.logits(decoder.forward(ids, rows, length, imageTokens)); // (R, T, V)
    }

    @Override
    public Decoder decoder(Tensor imageTokens) {
        return decoder.decoder(imageTokens);
    }
}
