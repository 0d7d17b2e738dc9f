package dev.vireo.models.vl;

import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * ViLT's visual question answering classifier ({@code vqa_classifier}): Linear(C, 2C), LayerNorm,
 * GELU, Linear(2C, answers), one logit per answer of the vocabulary, trained with binary
 * cross-entropy against soft scores. ViLT reads it from its pooler (dense + tanh on [CLS]); the
 * fusion encoder here has no pooler, so it reads the fused [CLS] as ALBEF's and BLIP's heads do.
 */
final class AnswerHead extends Module {
    private final Linear dense;
    private final LayerNorm norm;
    private final Linear out;

    AnswerHead(Rng rng, int width, int answers) {
        this.dense = child("dense", new Linear(rng, width, 2 * width, true));
        this.norm = child("LayerNorm", new LayerNorm(2 * width, 1e-5f));
        this.out = child("out", new Linear(rng, 2 * width, answers, true));
    }

    /** Fused [CLS] states (B, C) → answer logits (B, A). */
    Tensor forward(Tensor cls) {
        Tensor h = norm.forward(dense.forward(cls)).gelu(); // (B, 2C)
        return out.forward(h);                              // (B, A)
    }
}
