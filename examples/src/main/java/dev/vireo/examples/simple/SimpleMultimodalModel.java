package dev.vireo.examples.simple;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.io.SafetensorsReader;
import dev.vireo.engine.io.SafetensorsWriter;
import dev.vireo.engine.nn.Linear;
import dev.vireo.engine.nn.Module;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Rng;
import dev.vireo.engine.tensor.Shapes;
import dev.vireo.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The smallest two-tower model: an image encoder and a text encoder, each a two-layer projection
 * MLP (Linear → GELU → Linear) over precomputed feature vectors, meeting in one L2-normalised
 * E-dimensional space. It has no vision or text backbone: the course's first lessons use it to
 * teach joint embeddings, contrastive training and retrieval before transformers appear.
 */
public final class SimpleMultimodalModel extends Module {
    private final Projection imageEncoder;
    private final Projection textEncoder;
    private final int imageDim;
    private final int textDim;
    private final int embedDim;

    /** One tower: fc1 (in → hidden), GELU, fc2 (hidden → E). */
    private static final class Projection extends Module {
        final Linear fc1;
        final Linear fc2;

        Projection(Rng rng, int in, int hidden, int out) {
            fc1 = child("fc1", new Linear(rng, in, hidden, true));
            fc2 = child("fc2", new Linear(rng, hidden, out, true));
        }

        Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(x).gelu()); // (B, E)
        }
    }

    /** Hidden width equal to the embedding width, seed 0. */
    public SimpleMultimodalModel(int imageDim, int textDim, int embedDim) {
        this(imageDim, textDim, embedDim, embedDim, 0);
    }

    public SimpleMultimodalModel(int imageDim, int textDim, int embedDim, int hidden, long seed) {
        if (imageDim < 1 || textDim < 1 || embedDim < 1 || hidden < 1) {
            throw new IllegalArgumentException("SimpleMultimodalModel: sizes must be positive, got imageDim " + imageDim
                    + ", textDim " + textDim + ", embedDim " + embedDim + ", hidden " + hidden);
        }
        Rng rng = new Rng(seed);
        this.imageDim = imageDim;
        this.textDim = textDim;
        this.embedDim = embedDim;
        this.imageEncoder = child("image_encoder", new Projection(rng, imageDim, hidden, embedDim));
        this.textEncoder = child("text_encoder", new Projection(rng, textDim, hidden, embedDim));
    }

    /** Image features (B, imageDim) → unit-length embeddings (B, E). */
    public Tensor encodeImage(Tensor imageFeatures) {
        check("encodeImage", imageFeatures, imageDim);
        return Norms.l2Normalize(imageEncoder.forward(imageFeatures), -1, Norms.NORMALIZE_EPS); // (B, E)
    }

    /** Text features (B, textDim) → unit-length embeddings (B, E). */
    public Tensor encodeText(Tensor textFeatures) {
        check("encodeText", textFeatures, textDim);
        return Norms.l2Normalize(textEncoder.forward(textFeatures), -1, Norms.NORMALIZE_EPS); // (B, E)
    }

    /** Cosine similarity of every image embedding with every text embedding: (Bi, E), (Bt, E) → (Bi, Bt). */
    public Tensor computeSimilarity(Tensor imageEmbeddings, Tensor textEmbeddings) {
        if (imageEmbeddings.rank() != 2 || textEmbeddings.rank() != 2 || imageEmbeddings.size(1) != textEmbeddings.size(1)) {
            throw new IllegalArgumentException("computeSimilarity: expects (Bi, E) and (Bt, E), got "
                    + Shapes.str(imageEmbeddings.shape()) + " and " + Shapes.str(textEmbeddings.shape()));
        }
        Tensor i = Norms.l2Normalize(imageEmbeddings, -1, Norms.NORMALIZE_EPS); // (Bi, E)
        Tensor t = Norms.l2Normalize(textEmbeddings, -1, Norms.NORMALIZE_EPS);  // (Bt, E)
        return i.matmul(t.transpose(0, 1));                                      // (Bi, Bt)
    }

    /**
     * The indices of the {@code k} gallery rows most similar (cosine) to {@code query}, best first;
     * ties go to the lower index. {@code query} is (E) or (1, E), {@code gallery} (N, E).
     */
    public int[] retrieve(Tensor query, Tensor gallery, int k) {
        if (gallery.rank() != 2 || query.numel() != gallery.size(1) || (query.rank() != 1 && !(query.rank() == 2 && query.size(0) == 1))) {
            throw new IllegalArgumentException("retrieve: expects a query (E) or (1, E) and a gallery (N, E), got "
                    + Shapes.str(query.shape()) + " and " + Shapes.str(gallery.shape()));
        }
        int n = gallery.size(0);
        if (k < 0 || k > n) throw new IllegalArgumentException("retrieve: k = " + k + " outside 0.." + n + " gallery items");
        float[] scores;
        try (var ignored = GradMode.noGrad()) {
            scores = computeSimilarity(query.reshape(1, query.numel()), gallery).toArray(); // (1, N)
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
        int[] top = new int[k];
        for (int i = 0; i < k; i++) top[i] = order[i];
        return top;
    }

    /** Writes every parameter to a safetensors file under its state-dict name. */
    public void save(Path file) throws IOException {
        SafetensorsWriter.write(file, stateDict(), Map.of("format", "vireo-simple-multimodal",
                "sizes", imageDim + "," + textDim + "," + embedDim));
    }

    /** Reads parameters written by {@link #save} into this model (sizes must match). */
    public void load(Path file) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            loadStateDict(r.tensors(), true, true);
        }
    }

    private static void check(String op, Tensor x, int dim) {
        if (x.rank() != 2 || x.size(1) != dim) {
            throw new IllegalArgumentException(op + ": expects features (B, " + dim + "), got " + Shapes.str(x.shape()));
        }
    }

    public int imageDim() {
        return imageDim;
    }

    public int textDim() {
        return textDim;
    }

    public int embedDim() {
        return embedDim;
    }
}
