package dev.vireo.models.vl;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.text.WordPieceTokenizer;

import java.util.List;

/**
 * Inference with a {@link VlModel}: images and texts encoded once each, then any pairs of them
 * scored by the matching head in chunks, and the cosine of their embeddings. No graph is recorded.
 */
public final class VlScorer {
    /** Pairs the matching head scores at once. */
    static final int PAIR_CHUNK = 128;

    private final VlModel model;
    private final WordPieceTokenizer tokenizer;

    /** Encoded images: their tokens (N, S, Cv) and, unless the model fuses early, unit embeddings (N, E). */
    public record Images(Tensor tokens, Tensor embeddings) {
        public int count() {
            return tokens.size(0);
        }
    }

    /** Encoded texts: their tokens after the text-only layers (N, T, C), the padding mask (N, T) or null, and unit embeddings (N, E) or null. */
    public record Texts(Tensor tokens, Tensor mask, Tensor embeddings) {
        public int count() {
            return tokens.size(0);
        }
    }

    public VlScorer(VlModel model, WordPieceTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public VlModel model() {
        return model;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** Normalised pixels (N, 3, S, S) → encoded images. */
    public Images encodeImages(Tensor pixels) {
        try (var ignored = GradMode.noGrad()) {
            Tensor tokens = model.imageTokens(pixels); // (N, S, Cv)
            Tensor embeddings = model.config().hasUnimodalEmbeddings()
                    ? Norms.l2Normalize(model.imageEmbedding(tokens), -1, Norms.NORMALIZE_EPS) : null; // (N, E)
            return new Images(tokens, embeddings);
        }
    }

    /** Texts, tokenized, truncated to the model's positions and padded to the longest → encoded texts. */
    public Texts encodeTexts(List<String> texts) {
        TokenBatch batch = tokens(texts);
        return encodeIds(batch.ids(), batch.attentionMask(), batch.batch(), batch.length());
    }

    /** Token ids (N·T) with their attention mask (N·T) → encoded texts. */
    public Texts encodeIds(int[] ids, int[] attention, int count, int length) {
        boolean padded = false;
        float[] m = new float[attention.length]; // (N, T)
        for (int i = 0; i < m.length; i++) {
            m[i] = attention[i];
            padded |= attention[i] == 0;
        }
        Tensor mask = padded ? Tensor.of(m, count, length) : null; // (N, T)
        try (var ignored = GradMode.noGrad()) {
            Tensor tokens = model.textTokens(ids, mask, count, length); // (N, T, C)
            Tensor embeddings = model.config().hasUnimodalEmbeddings()
                    ? Norms.l2Normalize(model.textEmbedding(tokens), -1, Norms.NORMALIZE_EPS) : null; // (N, E)
            return new Texts(tokens, mask, embeddings);
        }
    }

    /** The tokenizer's batch of texts, truncated to the model's positions and padded to the longest. */
    public TokenBatch tokens(List<String> texts) {
        return tokenizer.batch(texts, model.config().text().maxPositions(), true);
    }

    /** Match probabilities (softmax of the ITM logits, "match" class) of pairs (images[imageIndex[k]], texts[textIndex[k]]). */
    public float[] matchProbabilities(Images images, Texts texts, int[] imageIndex, int[] textIndex) {
        if (imageIndex.length != textIndex.length) {
            throw new IllegalArgumentException("match: " + imageIndex.length + " images for " + textIndex.length + " texts");
        }
        float[] out = new float[imageIndex.length];
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < out.length; from += PAIR_CHUNK) {
                int n = Math.min(PAIR_CHUNK, out.length - from);
                int[] im = java.util.Arrays.copyOfRange(imageIndex, from, from + n), tx = java.util.Arrays.copyOfRange(textIndex, from, from + n);
                Tensor text = texts.tokens().indexSelect(0, tx);                               // (n, T, C)
                Tensor mask = texts.mask() == null ? null : texts.mask().indexSelect(0, tx);   // (n, T)
                Tensor image = images.tokens().indexSelect(0, im);                             // (n, S, Cv)
                float[] p = model.matchLogits(text, mask, image).softmax(-1).toArray();       // (n, 2)
                for (int k = 0; k < n; k++) out[from + k] = p[2 * k + 1];
            }
        }
        return out;
    }

    /** Answer logits (n, A), row-major, of questions texts[textIndex[k]] about images[imageIndex[k]]. */
    public float[] answerLogits(Images images, Texts texts, int[] imageIndex, int[] textIndex) {
        if (imageIndex.length != textIndex.length) {
            throw new IllegalArgumentException("answer: " + imageIndex.length + " images for " + textIndex.length + " questions");
        }
        int answers = model.config().answerClasses();
        float[] out = new float[imageIndex.length * answers];
        try (var ignored = GradMode.noGrad()) {
            for (int from = 0; from < imageIndex.length; from += PAIR_CHUNK) {
                int n = Math.min(PAIR_CHUNK, imageIndex.length - from);
                int[] im = java.util.Arrays.copyOfRange(imageIndex, from, from + n), tx = java.util.Arrays.copyOfRange(textIndex, from, from + n);
                Tensor text = texts.tokens().indexSelect(0, tx);                               // (n, T, C)
                Tensor mask = texts.mask() == null ? null : texts.mask().indexSelect(0, tx);   // (n, T)
                Tensor image = images.tokens().indexSelect(0, im);                             // (n, S, Cv)
                float[] logits = model.answerLogits(text, mask, image).dense().toArray();      // (n, A)
                System.arraycopy(logits, 0, out, from * answers, n * answers);
            }
        }
        return out;
    }

    /**
     * The most likely token at one position of each of m captions (ids and attention (m·T)), each
     * fused with image {@code imageIndex[k]}: masked-word prediction with the image in view.
     */
    public int[] predictMasked(Images images, int[] ids, int[] attention, int m, int length, int[] imageIndex, int[] position) {
        int[] out = new int[m];
        for (int from = 0; from < m; from += PAIR_CHUNK) {
            int n = Math.min(PAIR_CHUNK, m - from);
            Texts texts = encodeIds(java.util.Arrays.copyOfRange(ids, from * length, (from + n) * length),
                    java.util.Arrays.copyOfRange(attention, from * length, (from + n) * length), n, length);
            try (var ignored = GradMode.noGrad()) {
                Tensor image = images.tokens().indexSelect(0, java.util.Arrays.copyOfRange(imageIndex, from, from + n)); // (n, S, Cv)
                Tensor fused = model.fuse(texts.tokens(), texts.mask(), image);                                       // (n, L, C)
                int l = fused.size(1), c = fused.size(2);
                int[] rows = new int[n];
                for (int k = 0; k < n; k++) rows[k] = k * l + position[from + k];
                float[] logits = model.mlmLogits(fused.reshape(n * l, c).indexSelect(0, rows)).dense().toArray(); // (n, V)
                System.arraycopy(argmax(logits, n), 0, out, from, n);
            }
        }
        return out;
    }

    /** The index of the largest value of each row of a row-major (rows, V) array (the first of equals). */
    public static int[] argmax(float[] logits, int rows) {
        int v = logits.length / rows;
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < v; j++) if (logits[r * v + j] > logits[r * v + best]) best = j;
            out[r] = best;
        }
        return out;
    }

    /** Cosine similarity of every image with every text (images × texts, row-major), or null for early fusion. */
    public float[] cosine(Images images, Texts texts) {
        if (images.embeddings() == null) return null;
        try (var ignored = GradMode.noGrad()) {
            return images.embeddings().matmul(texts.embeddings().transpose(0, 1)).dense().toArray(); // (Ni, Nt)
        }
    }
}
