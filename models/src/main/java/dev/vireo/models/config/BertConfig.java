package dev.vireo.models.config;

import java.util.Locale;

/**
 * A BERT-family encoder's shape, with Hugging Face {@code BertConfig}'s meaning for each field:
 * vocabulary, hidden width, layers, heads, the MLP ("intermediate") width, learned positions,
 * token types (0: the embeddings have none, as BLIP's text encoder), the layer norms' epsilon, the
 * activation, and whether a pooler follows.
 */
public record BertConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
                         int typeVocabSize, double layerNormEps, String activation, boolean pooler) {
    public BertConfig {
        String s = "bert";
        ConfigChecks.positive(s, "vocab_size", vocabSize);
        ConfigChecks.positive(s, "hidden_size", hidden);
        ConfigChecks.positive(s, "num_hidden_layers", layers);
        ConfigChecks.positive(s, "num_attention_heads", heads);
        ConfigChecks.positive(s, "intermediate_size", intermediate);
        ConfigChecks.positive(s, "max_position_embeddings", maxPositions);
        if (typeVocabSize < 0) throw ConfigChecks.error(s + ".type_vocab_size must be 0 (no token types) or positive, got " + typeVocabSize);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("bert.hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
        if (!(layerNormEps > 0 && layerNormEps < 1)) throw new IllegalArgumentException("bert.layer_norm_eps must be in (0, 1), got " + layerNormEps);
        ConfigChecks.activation(s, activation);
    }

    /** sentence-transformers' all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT; uncased WordPiece vocabulary). */
    public static BertConfig miniLmL6() {
        return new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu", false);
    }

    /** The weights the config needs at the least (embeddings and the layers' matrices), to refuse a config too big for its checkpoint. */
    public double minimumParameters() {
        double h = hidden;
        return ((double) vocabSize + maxPositions + typeVocabSize) * h + layers * (4 * h * h + 2 * h * intermediate);
    }

    /** Refuses, before anything is allocated, a config that needs more weights than the checkpoint holds. */
    public void checkFits(long held, String source) {
        double needed = minimumParameters();
        if (needed > held) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the BERT config needs at least %.0f weights but the checkpoint holds %d: the config does not belong to these weights",
                    source, needed, held));
        }
    }

    public BertConfig withPooler(boolean on) {
        return new BertConfig(vocabSize, hidden, layers, heads, intermediate, maxPositions, typeVocabSize, layerNormEps, activation, on);
    }

    public int headDim() {
        return hidden / heads;
    }
}
