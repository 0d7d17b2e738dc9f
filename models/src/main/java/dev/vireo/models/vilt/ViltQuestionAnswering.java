package dev.vireo.models.vilt;

import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.ModuleList;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * transformers' {@code ViltForQuestionAnswering} with its state-dict names (Kim et al. 2021, "ViLT:
 * Vision-and-Language Transformer Without Convolution or Region Supervision"): {@code vilt} (the
 * {@link ViltEmbeddings}, {@code encoder.layer} of {@link ViltLayer}s, the final {@code layernorm}
 * and the {@code pooler}, tanh(dense(first token))) and the {@code classifier}: Linear(C, 2C) →
 * LayerNorm(2C, eps 1e-5) → GELU → Linear(2C, answers). The logits score each answer of
 * {@code id2label} independently (the model was trained with a binary cross-entropy per answer).
 */
public final class ViltQuestionAnswering extends Module {
    /** torch's nn.LayerNorm default: the classifier's norm does not take the config's eps. */
    private static final float CLASSIFIER_EPS = 1e-5f;

    private final ViltConfig config;
    private final Vilt vilt;
    private final Classifier classifier;

    /** {@code vilt}: transformers' {@code ViltModel} with its pooler. */
    static final class Vilt extends Module {
        final ViltEmbeddings embeddings;
        final ModuleList<ViltLayer> layers;
        final LayerNorm norm;
        final Pooler pooler;

        Vilt(Rng rng, ViltConfig config) {
            this.embeddings = child("embeddings", new ViltEmbeddings(rng, config));
            ModuleList<ViltLayer> list = new ModuleList<>();
            for (int i = 0; i < config.text().layers(); i++) list.add(new ViltLayer(rng, config));
            this.layers = child("encoder", new Encoder(list)).layers;
            this.norm = child("layernorm", new LayerNorm(config.hidden(), (float) config.text().layerNormEps()));
            this.pooler = child("pooler", new Pooler(rng, config.hidden()));
        }
    }

    /** {@code encoder} holds the layers as {@code layer}. */
    private static final class Encoder extends Module {
        final ModuleList<ViltLayer> layers;

        Encoder(ModuleList<ViltLayer> layers) {
            this.layers = child("layer", layers);
        }
    }

    /** {@code pooler.dense}, tanh applied after. */
    static final class Pooler extends Module {
        final Linear dense;

        Pooler(Rng rng, int width) {
            this.dense = child("dense", new Linear(rng, width, width, true));
        }
    }

    /** {@code classifier}: nn.Sequential's children 0 (Linear), 1 (LayerNorm), 2 (GELU, no weights), 3 (Linear). */
    static final class Classifier extends Module {
        final Linear up;
        final LayerNorm norm;
        final Linear out;

        Classifier(Rng rng, int width, int labels) {
            this.up = child("0", new Linear(rng, width, 2 * width, true));
            this.norm = child("1", new LayerNorm(2 * width, CLASSIFIER_EPS));
            this.out = child("3", new Linear(rng, 2 * width, labels, true));
        }
    }

    public ViltQuestionAnswering(Rng rng, ViltConfig config) {
        this.config = config;
        this.vilt = child("vilt", new Vilt(rng, config));
        this.classifier = child("classifier", new Classifier(rng, config.hidden(), config.numLabels()));
    }

    public ViltConfig config() {
        return config;
    }

    /**
     * The answer logits (B, answers) of B question-image pairs.
     *
     * @param ids      (B·T) token ids, row-major, [CLS] first
     * @param textMask (B·T) 1 for a token, 0 for padding
     * @param pixels   the B images, padded, with each image's own size
     */
    public Tensor logits(int[] ids, int[] textMask, int batch, int length, ViltImageProcessor.Pixels pixels) {
        ViltEmbeddings.Output in = vilt.embeddings.forward(ids, textMask, batch, length, pixels);
        Tensor x = in.embeddings();                                  // (B, N, C)
        for (ViltLayer layer : vilt.layers) {
            Tensor y = layer.forward(x, in.mask());                  // (B, N, C)
            if (!y.requiresGrad()) BufferPool.recycle(x);
            x = y;
        }
        int c = config.hidden();
        Tensor first = x.narrow(1, 0, 1).reshape(batch, c);          // (B, C): the text's [CLS]; the norm is per token
        Tensor pooled = vilt.pooler.dense.forward(vilt.norm.forward(first)).tanh(); // (B, C)
        Tensor up = classifier.up.forward(pooled);                   // (B, 2C)
        Tensor hidden = classifier.norm.forward(up).gelu();          // (B, 2C)
        return classifier.out.forward(hidden);                       // (B, answers)
    }
}
