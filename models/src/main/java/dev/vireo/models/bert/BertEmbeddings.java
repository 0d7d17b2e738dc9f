package dev.vireo.models.bert;

import dev.vireo.engine.nn.Embedding;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;

/**
 * word + learned position + token type embeddings, then layer norm (HF {@code BertEmbeddings}). A
 * config with {@code typeVocabSize} 0 has no token type table: word + position, then layer norm, as
 * BLIP's {@code BlipTextEmbeddings}.
 */
public final class BertEmbeddings extends Module {
    private final Embedding words;
    private final Embedding positionTable;
    private final Embedding types;
    private final LayerNorm norm;
    private final int maxPositions;

    public BertEmbeddings(Rng rng, BertConfig config) {
        this.words = child("word_embeddings", new Embedding(rng, config.vocabSize(), config.hidden(), 0.02f));
        this.positionTable = child("position_embeddings", new Embedding(rng, config.maxPositions(), config.hidden(), 0.02f));
        this.types = config.typeVocabSize() == 0 ? null
                : child("token_type_embeddings", new Embedding(rng, config.typeVocabSize(), config.hidden(), 0.02f));
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
        return forward(ids, typeIds, pos, batch, length);
    }

    /** Tokens at given positions (each in [0, max positions)): ids, typeIds (or null), positions of shape {@code shape} → (shape..., C). */
    public Tensor forward(int[] ids, int[] typeIds, int[] positions, int... shape) {
        for (int p : positions) {
            if (p >= maxPositions) throw new IllegalArgumentException("BERT: position " + p + " is past the model's " + maxPositions + " positions");
        }
        Tensor x = words.forward(ids, shape).add(positionTable.forward(positions, shape));         // (shape..., C)
        if (types != null) {
            x = x.add(types.forward(typeIds == null ? new int[ids.length] : typeIds, shape));       // (shape..., C)
        } else if (typeIds != null) {
            throw new IllegalArgumentException("BERT: token type ids given to a model without token type embeddings (type_vocab_size 0)");
        }
        return norm.forward(x); // (shape..., C)
    }

    public Embedding wordEmbeddings() {
        return words;
    }
}
