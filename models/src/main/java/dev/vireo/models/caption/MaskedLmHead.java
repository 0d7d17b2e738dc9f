package dev.vireo.models.caption;

import dev.vireo.engine.autograd.LinearOp;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;

/**
 * BERT's language-model head with HF's names ({@code BertOnlyMLMHead}, which BLIP's text decoder
 * calls {@code cls}): {@code predictions.transform} (dense, the activation, LayerNorm), then the
 * decoder, whose weight is tied to the word embeddings (so the checkpoint need not hold it), plus
 * {@code predictions.bias}: logits = LN(act(dense(h))) · Eᵀ + bias.
 */
public final class MaskedLmHead extends Module {
    private final Predictions predictions;

    /** HF's {@code predictions}: {@code transform} and {@code bias}. */
    private static final class Predictions extends Module {
        final Transform transform;
        final Parameter bias;

        Predictions(Rng rng, BertConfig config) {
            this.transform = child("transform", new Transform(rng, config));
            this.bias = parameter("bias", Tensor.zeros(config.vocabSize()));
        }
    }

    /** HF's {@code BertPredictionHeadTransform}: {@code dense}, the activation, {@code LayerNorm}. */
    private static final class Transform extends Module {
        final Linear dense;
        final LayerNorm norm;
        final Activation activation;

        Transform(Rng rng, BertConfig config) {
            this.dense = child("dense", new Linear(rng, config.hidden(), config.hidden(), true));
            this.norm = child("LayerNorm", new LayerNorm(config.hidden(), (float) config.layerNormEps()));
            this.activation = Activation.of(config.activation());
        }
    }

    public MaskedLmHead(Rng rng, BertConfig config) {
        this.predictions = child("predictions", new Predictions(rng, config));
    }

    /** hidden (..., C) → logits (..., V) against the tied word embeddings (V, C). */
    public Tensor forward(Tensor hidden, Tensor wordEmbeddings) {
        Tensor h = predictions.transform.norm.forward(predictions.transform.dense.forward(hidden, predictions.transform.activation)); // (..., C)
        Tensor bias = predictions.bias.value();
        boolean record = GradMode.isEnabled() && (h.requiresGrad() || wordEmbeddings.requiresGrad() || bias.requiresGrad());
        if (record) return LinearOp.linear(h, wordEmbeddings, bias, null);                  // (..., V), recorded for training
        return ComputeProvider.get().linear(h, wordEmbeddings, bias, null, null);           // (..., V)
    }
}
