package dev.vireo.models.blip;

import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertModel;
import dev.vireo.models.caption.TextDecoder;

/**
 * transformers' {@code BlipForQuestionAnswering} with its state-dict names: {@code vision_model}
 * ({@link BlipVisionModel}), {@code text_encoder} (a {@link BertModel} without token types or
 * pooler whose layers cross-attend to the image states: the question encoder) and
 * {@code text_decoder} ({@link TextDecoder}, whose layers cross-attend to the question states).
 */
public final class BlipVqaModel extends Module {
    private final BlipDecoderConfig config;
    private final BlipVisionModel vision;
    private final BertModel encoder;
    private final TextDecoder decoder;

    public BlipVqaModel(Rng rng, BlipDecoderConfig config) {
        this.config = config;
        BlipConfig c = config.blip();
        this.vision = child("vision_model", new BlipVisionModel(rng, c.vision()));
        this.encoder = child("text_encoder", new BertModel(rng, c.text(), c.vision().hidden()));
        this.decoder = child("text_decoder", new TextDecoder(rng, c.text(), c.text().hidden()));
    }

    public BlipDecoderConfig config() {
        return config;
    }

    /** pixels (B, 3, S, S) → image states (B, T, Cv). */
    public Tensor imageStates(Tensor pixels) {
        return vision.forward(pixels); // (B, T, Cv)
    }

    /**
     * The question states (B, T, C): the processor's ids ([CLS] question [SEP], padded) through the
     * text encoder, cross-attending to each row's image (B, S, Cv), every position computed as
     * transformers computes it, padding included (the decoder reads them all).
     */
    public Tensor questionStates(int[] ids, Tensor mask, int batch, int length, Tensor images) {
        return encoder.forwardEveryPosition(ids, null, mask, batch, length, images, null); // (B, T, C)
    }

    public TextDecoder decoder() {
        return decoder;
    }
}
