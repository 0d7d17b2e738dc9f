package dev.vireo.models.blip;

import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.caption.TextDecoder;

/**
 * transformers' {@code BlipForConditionalGeneration} with its state-dict names: {@code vision_model}
 * ({@link BlipVisionModel}) and {@code text_decoder} ({@link TextDecoder}, HF's
 * {@code BlipTextLMHeadModel}, whose layers cross-attend to the image states).
 */
public final class BlipCaptionModel extends Module {
    private final BlipDecoderConfig config;
    private final BlipVisionModel vision;
    private final TextDecoder decoder;

    public BlipCaptionModel(Rng rng, BlipDecoderConfig config) {
        this.config = config;
        this.vision = child("vision_model", new BlipVisionModel(rng, config.blip().vision()));
        this.decoder = child("text_decoder", new TextDecoder(rng, config.blip().text(), config.blip().vision().hidden()));
    }

    public BlipDecoderConfig config() {
        return config;
    }

    /** pixels (B, 3, S, S) → image states (B, T, Cv): the vision tower's {@code last_hidden_state}. */
    public Tensor imageStates(Tensor pixels) {
        return vision.forward(pixels); // (B, T, Cv)
    }

    public TextDecoder decoder() {
        return decoder;
    }
}
