package dev.vireo.models.coca;

import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.nn.MultiHeadAttention;
import dev.vireo.engine.nn.Parameter;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;

/**
 * CoCa's attentional pooler (open_clip's {@code AttentionalPooler} followed by the tower's
 * {@code ln_post}): Q learned queries, layer-normed, attend with multi-head cross-attention over the
 * layer-normed image tokens, and the Q outputs are layer-normed again. No residual: the queries
 * are a fixed-size summary of the image, whatever its number of tokens. The queries attend
 * independently, so one pooler of 1 + N queries is the paper's contrastive pooler (one query) and
 * captioning pooler (N queries) sharing their projections, as open_clip's CoCa builds it.
 */
public final class AttentionalPooler extends Module {
    private final Parameter query;
    private final LayerNorm queryNorm;
    private final LayerNorm contextNorm;
    private final MultiHeadAttention attention;
    private final LayerNorm outputNorm;

    /** Q queries of {@code width} features over image tokens of the same width, with {@code heads} heads. */
    public AttentionalPooler(Rng rng, int width, int heads, int queries) {
        this.query = parameter("query", Tensor.randn(rng, 0f, 0.02f, queries, width)); // (Q, C)
        this.queryNorm = child("ln_q", new LayerNorm(width));
        this.contextNorm = child("ln_k", new LayerNorm(width));
        this.attention = child("attn", new MultiHeadAttention(rng, width, heads));
        this.outputNorm = child("ln_post", new LayerNorm(width));
    }

    /** Q, the number of queries (and of outputs per image). */
    public int queries() {
        return query.value().size(0);
    }

    /** image tokens (B, S, C) → the queries' outputs (B, Q, C). */
    public Tensor forward(Tensor tokens) {
        int b = tokens.size(0), q = queries(), c = query.value().size(1);
        Tensor context = contextNorm.forward(tokens);                                          // (B, S, C)
        Tensor queries = queryNorm.forward(query.value()).reshape(1, q, c).expand(b, q, c);   // (B, Q, C)
        Tensor pooled = attention.forward(queries, context, false, null, false).output();     // (B, Q, C)
        return outputNorm.forward(pooled);                                                     // (B, Q, C)
    }
}
