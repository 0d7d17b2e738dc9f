package dev.vireo.models.blip;

import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.bert.BertModel;

/**
 * transformers' {@code BlipForImageTextRetrieval} with its state-dict names: {@code vision_model}
 * ({@link BlipVisionModel}), {@code text_encoder} (a {@link BertModel} without token types or pooler
 * whose every layer has {@code crossattention} over the image states), the contrastive projections
 * {@code vision_proj} and {@code text_proj}, and the image-text matching head {@code itm_head}.
 * Its forward passes are the two branches of transformers' {@code forward(use_itm_head=...)}:
 * the ITM logits of the fused [CLS] state, and the projected unimodal [CLS] features.
 */
public final class BlipRetrievalModel extends Module {
    private final BlipConfig config;
    private final BlipVisionModel vision;
    private final BertModel text;
    private final Linear visionProj;
    private final Linear textProj;
    private final Linear itmHead;

    public BlipRetrievalModel(Rng rng, BlipConfig config) {
        this.config = config;
        this.vision = child("vision_model", new BlipVisionModel(rng, config.vision()));
        this.text = child("text_encoder", new BertModel(rng, config.text(), config.vision().hidden()));
        this.visionProj = child("vision_proj", new Linear(rng, config.vision().hidden(), config.embedDim(), true));
        this.textProj = child("text_proj", new Linear(rng, config.text().hidden(), config.embedDim(), true));
        this.itmHead = child("itm_head", new Linear(rng, config.text().hidden(), 2, true));
    }

    public BlipConfig config() {
        return config;
    }

    /** pixels (B, 3, S, S) → image states (B, T, Cv): the vision tower's {@code last_hidden_state}. */
    public Tensor imageStates(Tensor pixels) {
        return vision.forward(pixels); // (B, T, Cv)
    }

    /**
     * ITM logits (B, 2) ("no match", "match"): itm_head of the text encoder's [CLS] state, the text
     * cross-attending to every image state (transformers' {@code use_itm_head=True}; its image
     * attention mask is all ones, so none is passed).
     *
     * @param ids   (B·T) token ids, row-major, as the processor gives them ([CLS] first)
     * @param mask  (B, T) attention mask, or null when no row is padded
     * @param image (B, S, Cv) image states of each row's image
     */
    public Tensor matchLogits(int[] ids, Tensor mask, int batch, int length, Tensor image) {
        Tensor fused = text.forward(ids, null, mask, batch, length, image, null); // (B, T, C)
        return itmHead.forward(first(fused));                                      // (B, 2)
    }

    /** vision_proj of the class token's state: image (B, S, Cv) → (B, E), not yet normalised. */
    public Tensor imageFeatures(Tensor image) {
        return visionProj.forward(first(image)); // (B, E)
    }

    /** text_proj of the [CLS] state of the text alone (cross-attention skipped, {@code use_itm_head=False}) → (B, E), not yet normalised. */
    public Tensor textFeatures(int[] ids, Tensor mask, int batch, int length) {
        Tensor hidden = text.forwardTextOnly(ids, null, mask, batch, length); // (B, T, C)
        return textProj.forward(first(hidden));                                // (B, E)
    }

    /** x (B, T, C) → its first token (B, C). */
    private static Tensor first(Tensor x) {
        int b = x.size(0), c = x.size(2);
        return x.narrow(1, 0, 1).reshape(b, c); // (B, C)
    }
}
