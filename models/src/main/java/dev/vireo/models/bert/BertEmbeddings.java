package dev.vireo.models.bert;

import dev.vireo.engine.nn.Embedding;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;

/** word + learned position + token type embeddings, then layer norm (HF {@code BertEmbeddings}). */
public final class BertEmbeddings extends Module {
    private final Embedding words;
    private final Embedding positions;
    private final Embedding types;
    private final LayerNorm norm;
    private final int maxPositions;

    public BertEmbeddings(Rng rng, BertConfig config) {
        this.words = child("word_embeddings", new Embedding(rng, config.vocabSize(), config.hidden(), 0.02f));
        this.positions = child("position_embeddings", new Embedding(rng, config.maxPositions(), config.hidden(), 0.02f));
        this.types = child("token_type_embeddings", new Embedding(rng, config.typeVocabSize(), config.hidden(), 0.02f));
        this.norm = child("LayerNorm", new LayerNorm(config.hidden(), (float) config.layerNormEps()));
        this.maxPositions = config.maxPositions();
    }

    /** ids and typeIds (B·T, row-major; typeIds may be null for all zeros) → (B, T, C). */
    public Tensor forward(int[] ids, int[] typeIds, int batch, int length) {
        if (length > maxPositions) {
            throw new IllegalArgumentException("BERT: " + length + " tokens is more than the model's " + maxPositions + " positions");
        }
        int[] pos = new int[batch * length];
        for (int i = 0; i < pos.length; i++) pos[i] = i % length;
        Tensor x = words.forward(ids, batch, length)                                          // (B, T, C)
                .add(positions.forward(pos, batch, length))                                   // (B, T, C)
                .add(types.forward(typeIds == null ? new int[ids.length] : typeIds, batch, length)); // (B, T, C)
        return norm.forward(x); // (B, T, C)
    }

    public Embedding wordEmbeddings() {
        return words;
    }
}
