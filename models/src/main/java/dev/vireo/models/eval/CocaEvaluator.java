package dev.vireo.models.eval;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.coca.CocaModel;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.train.ImageTextData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a CoCa model's contrastive side as {@link ClipEvaluator} does a CLIP's: images and texts
 * embedded in batches without gradients (the text as the captioner's tokenizer codes it, [CLS] text
 * [SEP], the [CLS]-like token in place of [SEP]), then retrieval both ways over every caption of every
 * image and zero-shot classification against class prompts.
 */
public final class CocaEvaluator {
    private static final int BATCH = 128;

    private final CocaModel model;
    private final WordPieceTokenizer tokenizer;

    public CocaEvaluator(CocaModel model, WordPieceTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** L2-normalised image embeddings, row-major (N, E). */
    public float[] imageEmbeddings(ImageTextData data) {
        return ClipEvaluator.imageEmbeddings(data, model.config().embedDim(), model::encodeImage);
    }

    /** L2-normalised text embeddings, row-major (M, E). */
    public float[] textEmbeddings(List<String> texts) {
        int m = texts.size(), e = model.config().embedDim(), ctx = model.config().text().maxPositions();
        float[] out = new float[m * e]; // (M, E)
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < m; s += BATCH) {
                int b = Math.min(BATCH, m - s);
                int[][] ids = new int[b][];
                int len = 1;
                for (int j = 0; j < b; j++) {
                    ids[j] = trim(tokenizer.encode(texts.get(s + j), ctx).ids());
                    len = Math.max(len, ids[j].length);
                }
                int[] flat = new int[b * len]; // (b, T), padded with [PAD]
                Arrays.fill(flat, tokenizer.padId());
                for (int j = 0; j < b; j++) System.arraycopy(ids[j], 0, flat, j * len, ids[j].length);
                Tensor f = model.encodeText(flat, b, len, tokenizer.sepId()); // (b, E)
                System.arraycopy(Norms.l2Normalize(f, -1, Norms.NORMALIZE_EPS).toArray(), 0, out, s * e, b * e);
            }
        }
        return out;
    }

    /** Retrieval both ways over every caption of every image. */
    public RetrievalMetrics.Result retrieval(ImageTextData data) {
        float[] img = imageEmbeddings(data); // (N, E)
        List<String> texts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            for (String c : data.captions(i)) {
                texts.add(c);
                owner.add(i);
            }
        }
        float[] txt = textEmbeddings(texts); // (M, E)
        float[] sim = ClipEvaluator.similarity(img, data.size(), txt, texts.size(), model.config().embedDim()); // (N, M)
        return RetrievalMetrics.compute(sim, data.size(), texts.size(), owner.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Zero-shot top-1 and top-5 accuracy of normalised image embeddings (N, E) against an explicit prompt ensemble per class. */
    public double[] zeroShot(float[] imageEmbeddings, int images, List<List<String>> promptsPerClass, int[] labels) {
        int e = model.config().embedDim();
        float[] classes = ClipEvaluator.classEmbeddings(promptsPerClass, e, this::textEmbeddings); // (C, E)
        return ClipEvaluator.zeroShot(imageEmbeddings, images, classes, promptsPerClass.size(), e, labels);
    }

    /** Up to and with the first [SEP]. */
    private int[] trim(int[] ids) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == tokenizer.sepId()) return Arrays.copyOf(ids, i + 1);
        return ids;
    }
}
