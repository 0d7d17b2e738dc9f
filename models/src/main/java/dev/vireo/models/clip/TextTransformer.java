package dev.vireo.models.clip;

import dev.vireo.engine.nn.Activation;
import dev.vireo.engine.nn.Embedding;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.TextConfig;

/**
 * CLIP's text tower: token and learned position embeddings, a causal transformer, a final LN, and
 * pooling at the end-of-text token. Names follow Hugging Face's {@code CLIPTextTransformer}.
 */
public final class TextTransformer extends Module {
    /** OpenAI's end-of-text id in the CLIP BPE vocabulary. */
    public static final int END_OF_TEXT = 49407;

    private final TextConfig config;
    private final Embeddings embeddings;
    private final TransformerEncoder encoder;
    private final LayerNorm finalNorm;
    private int eosTokenId = END_OF_TEXT;
    private boolean legacyArgmaxPooling;

    /** {@code embeddings.*}: token and position tables. */
    static final class Embeddings extends Module {
        final Embedding tokenEmbedding;
        final Embedding positionEmbedding;

        Embeddings(Rng rng, TextConfig c) {
            tokenEmbedding = child("token_embedding", new Embedding(rng, c.vocabSize(), c.width(), 0.02f));
            positionEmbedding = child("position_embedding", new Embedding(rng, c.contextLength(), c.width(), 0.01f));
        }
    }

    public TextTransformer(Rng rng, TextConfig config) {
        this.config = config;
        this.embeddings = child("embeddings", new Embeddings(rng, config));
        this.encoder = child("encoder", new TransformerEncoder(rng, config.width(), config.layers(), config.heads(),
                config.mlpWidth(), Activation.of(config.activation())));
        this.finalNorm = child("final_layer_norm", new LayerNorm(config.width()));
    }

    /**
     * Pooling rule: by default the first position holding {@code eosTokenId}; with
     * {@code legacyArgmax} the position of the largest id (what OpenAI's code and Hugging Face
     * configs with {@code eos_token_id: 2} do — right for the CLIP vocabulary, whose end token is the largest id).
     */
    public void setPooling(int eosTokenId, boolean legacyArgmax) {
        this.eosTokenId = eosTokenId;
        this.legacyArgmaxPooling = legacyArgmax;
    }

    /**
     * ids (B, T) with T ≤ context length, row-major → pooled features (B, C). The tower runs on the
     * positions up to the last pooled one: the causal mask keeps the pooled tokens from seeing the
     * padding after them, so a short text costs its own length, not the context's, and its features
     * have the same bits however much padding it or its batch holds.
     */
    public Tensor forward(int[] ids, int batch, int length) {
        if (length > config.contextLength() || length < 1) {
            throw new IllegalArgumentException("text tower: sequence length " + length + " outside 1.." + config.contextLength());
        }
        if (ids.length != batch * length) throw new IllegalArgumentException("text tower: " + ids.length + " ids for " + batch + " x " + length);
        int[] pooled = new int[batch];
        int used = 1; // positions up to the last pooled one
        for (int b = 0; b < batch; b++) {
            pooled[b] = poolPosition(ids, b * length, length);
            used = Math.max(used, pooled[b] + 1);
        }
        if (used < length) { // causal: no position up to the last pooled one sees the ones after it
            ids = firstColumns(ids, batch, length, used);                            // (B, T')
            length = used;
        }
        Tensor x = embeddings.tokenEmbedding.forward(ids, batch, length);            // (B, T, C)
        Tensor pos = embeddings.positionEmbedding.weight().value().narrow(0, 0, length); // (T, C)
        x = x.add(pos);                                                              // (B, T, C)
        x = encoder.forwardAt(x, pooled, true);                                      // (B, C): the pooled tokens
        return finalNorm.forward(x);                                                 // (B, C)
    }

    /** ids (B, T) → their first {@code used} columns (B, used). */
    private static int[] firstColumns(int[] ids, int batch, int length, int used) {
        int[] out = new int[batch * used];
        for (int b = 0; b < batch; b++) System.arraycopy(ids, b * length, out, b * used, used);
        return out;
    }

    private int poolPosition(int[] ids, int off, int length) {
        int best = 0;
        for (int i = 0; i < length; i++) {
            if (legacyArgmaxPooling) {
                if (ids[off + i] > ids[off + best]) best = i;
            } else if (ids[off + i] == eosTokenId) {
                return i;
            }
        }
        return legacyArgmaxPooling ? best : 0; // as transformers' argmax over (ids == eos) when eos is absent
    }

    public TextConfig config() {
        return config;
    }
}
