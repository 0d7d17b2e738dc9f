package dev.vireo.models.bert;

import dev.vireo.engine.autograd.Attention;
import dev.vireo.engine.nn.LayerNorm;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.BufferPool;
import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Node;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.config.BertConfig;

/**
 * One post-LN attention sub-layer, self or cross (HF {@code BertAttention}): {@code self.query},
 * {@code self.key}, {@code self.value}, then {@code output.dense} with the residual added and
 * {@code output.LayerNorm}: LN(x + dense(attn(q(x), k(ctx), v(ctx)))).
 */
public final class BertAttention extends Module {
    private final Projections self;
    private final AddNorm output;
    private final int heads;
    private final float scale;
    private AttentionProbe probe; // non-null: the explain path, recording probabilities; null: the fused kernel

    /** The query, key and value projections (HF {@code BertSelfAttention}), named {@code query}, {@code key}, {@code value}. */
    static final class Projections extends Module {
        final Linear query;
        final Linear key;
        final Linear value;

        Projections(Rng rng, int width, int contextWidth) {
            this.query = child("query", new Linear(rng, width, width, true));
            this.key = child("key", new Linear(rng, contextWidth, width, true));
            this.value = child("value", new Linear(rng, contextWidth, width, true));
        }
    }

    /** {@code dense} then residual then {@code LayerNorm}: HF's {@code BertSelfOutput} and {@code BertOutput}. */
    static final class AddNorm extends Module {
        final Linear dense;
        final LayerNorm norm;

        AddNorm(Rng rng, int in, int out, float eps) {
            this.dense = child("dense", new Linear(rng, in, out, true));
            this.norm = child("LayerNorm", new LayerNorm(out, eps));
        }

        /** LN(residual + dense(x)): x (..., in), residual (..., out) → (..., out). */
        Tensor forward(Tensor x, Tensor residual) {
            Tensor sum = dense.forward(x, null, residual); // (..., out): bias and residual in the GEMM epilogue
            Tensor y = norm.forward(sum);                  // (..., out)
            if (!y.requiresGrad()) BufferPool.recycle(sum);
            return y;
        }
    }

    /** A sub-layer whose keys and values come from a sequence of {@code contextWidth} features (= hidden for self-attention). */
    public BertAttention(Rng rng, BertConfig config, int contextWidth) {
        this.self = child("self", new Projections(rng, config.hidden(), contextWidth));
        this.output = child("output", new AddNorm(rng, config.hidden(), config.hidden(), (float) config.layerNormEps()));
        this.heads = config.heads();
        this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /**
     * Routes this sub-layer's attention through {@code probe} (the explain path: same values,
     * probabilities recorded), or back to the fused kernel with null.
     */
    public void probe(AttentionProbe probe) {
        this.probe = probe;
    }

    /**
     * x (B, T, C) attending over context (B, S, Cc) → (B, T, C).
     *
     * @param contextMask (B, S) with 1 for keys to attend to and 0 for padding, or null for all
     */
    public Tensor forward(Tensor x, Tensor context, Tensor contextMask) {
        return forward(x, context, contextMask, null, false);
    }

    /**
     * The same on packed tokens: x (1, N, C) holds the batch's real tokens ({@code packing}); the
     * keys and values come from x itself ({@code selfAttention}) or from a padded context (B, S, Cc).
     * Only attention sees a padded layout; the projections run on the N tokens. → (1, N, C).
     */
    Tensor forward(Tensor x, Tensor context, Tensor contextMask, TokenPacking packing, boolean selfAttention) {
        Tensor q, k, v;
        if (selfAttention && !Node.willRecord(x, self.query.weight().value(), self.key.weight().value(), self.value.weight().value(),
                self.query.bias().value(), self.key.bias().value(), self.value.bias().value())) {
            // one product against the three weights stacked (a provider's choice): a request's few rows
            // make a product worth sharing out over the threads, three small ones do not
            Tensor[] qkv = ComputeProvider.get().linears(x, new Tensor[] {self.query.weight().value(), self.key.weight().value(),
                    self.value.weight().value()}, new Tensor[] {self.query.bias().value(), self.key.bias().value(), self.value.bias().value()});
            q = qkv[0]; // (B, T, C), or (1, N, C) packed
            k = qkv[1]; // (B, T, C), or (1, N, C) packed
            v = qkv[2]; // (B, T, C), or (1, N, C) packed
        } else {
            q = self.query.forward(x);       // (B, T, C), or (1, N, C) packed
            k = self.key.forward(context);   // (B, S, C), or (1, N, C) packed for self-attention
            v = self.value.forward(context); // (B, S, C), or (1, N, C) packed for self-attention
        }
        Tensor merged;
        if (packing == null) {
            merged = attend(q, k, v, contextMask);                           // (B, T, C)
        } else {
            Tensor qp = packing.pad(q);                                      // (B, T, C)
            Tensor kp = selfAttention ? packing.pad(k) : k;                  // (B, S, C)
            Tensor vp = selfAttention ? packing.pad(v) : v;                  // (B, S, C)
            Tensor attended = attend(qp, kp, vp, contextMask);               // (B, T, C)
            merged = packing.pack(attended);                                 // (1, N, C)
        }
        Tensor y = output.forward(merged, x);   // (B, T, C), or (1, N, C) packed
        if (!y.requiresGrad()) {
            BufferPool.recycleParts(q, k, v); // views of one stacked array, or three
            BufferPool.recycle(merged);
        }
        return y;
    }

    /**
     * Causal self-attention while decoding: the new tokens x (R, t, C) attend to the cached keys and
     * values of the tokens before them and to their own (appended to the cache), HF's decoder with
     * {@code past_key_values}. Either the cache is empty (a prompt of t tokens, masked causally) or
     * t is 1 (one step: every cached token is in the past). → (R, t, C).
     */
    Tensor forwardCached(Tensor x, KeyValueCache cache, int layer) {
        int t = x.size(1);
        if (cache.length() > 0 && t != 1) {
            throw new IllegalArgumentException("BERT decoder: after the prompt, tokens come one per step, got " + t);
        }
        Tensor q = self.query.forward(x);                                      // (R, t, C)
        Tensor[] kv = cache.append(layer, self.key.forward(x), self.value.forward(x)); // 2 x (R, P + t, C)
        Tensor merged = Attention.multiHead(q, kv[0], kv[1], heads, t > 1, null, scale); // (R, t, C)
        return output.forward(merged, x);                                     // (R, t, C)
    }

    /**
     * Cross-attention of rows that read shared contexts: x (M, T, C), row m reading context
     * {@code contextRows[m]} of context (G, S, Cc). The keys and values are computed once per
     * context sequence and gathered per row (ALBEF's matching pairs meet each image up to three
     * times); what each row computes is what {@link #forward(Tensor, Tensor, Tensor)} computes on
     * the gathered context, up to rounding in the gradient's summation. → (M, T, C).
     */
    public Tensor forwardGathered(Tensor x, Tensor context, int[] contextRows) {
        if (contextRows.length != x.size(0)) {
            throw new IllegalArgumentException("cross-attention: " + contextRows.length + " context rows for " + x.size(0) + " query rows");
        }
        Tensor q = self.query.forward(x);                                      // (M, T, C)
        Tensor k = self.key.forward(context).indexSelect(0, contextRows);     // (M, S, C)
        Tensor v = self.value.forward(context).indexSelect(0, contextRows);   // (M, S, C)
        Tensor merged = attend(q, k, v, null);                                // (M, T, C)
        return output.forward(merged, x);                                     // (M, T, C)
    }

    /** The keys and values of a context for cross-attention, computed once: context (G, S, Cc) → {(G, S, C), (G, S, C)}. */
    Tensor[] keysValues(Tensor context) {
        return new Tensor[] {self.key.forward(context), self.value.forward(context)}; // 2 x (G, S, C)
    }

    /**
     * Cross-attention of x (R, t, C) over precomputed keys and values (G, S, C), rows grouped by
     * context: the R / G rows of group g read context g. The groups' rows are stacked as one longer
     * query sequence, which cross-attention allows. → (R, t, C).
     *
     * @param keyMask (G, S): 1 for context positions to read, 0 for padding; or null for all
     */
    Tensor forwardGrouped(Tensor x, Tensor keys, Tensor values, Tensor keyMask) {
        int r = x.size(0), t = x.size(1), c = x.size(2), g = keys.size(0);
        Tensor q = self.query.forward(x).reshape(g, r / g * t, c);                      // (G, R/G·t, C)
        Tensor merged = probe == null ? Attention.multiHead(q, keys, values, heads, false, keyMask, scale) // (G, R/G·t, C)
                : probe.attend(q, keys, values, heads, keyMask, scale);                                   // (G, R/G·t, C)
        return output.forward(merged.reshape(r, t, c), x);                              // (R, t, C)
    }

    /** q (B, T, C), k and v (B, S, C) → (B, T, C): the fused kernel, or the probe's explain path when one is set. */
    private Tensor attend(Tensor q, Tensor k, Tensor v, Tensor keyMask) {
        if (probe == null) return Attention.multiHead(q, k, v, heads, false, keyMask, scale); // (B, T, C)
        return probe.attend(q, k, v, heads, keyMask, scale);                                 // (B, T, C)
    }
}
