package dev.vireo.models.eval;

import dev.vireo.engine.autograd.Norms;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.clip.ClipModel;
import dev.vireo.models.text.ClipTokenizer;
import dev.vireo.models.train.ImageTextData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Evaluates a CLIP model: embeds images and texts in batches without gradients, then scores
 * zero-shot classification (prompt templates averaged per class, as in the CLIP paper) and
 * retrieval in both directions with several captions per image.
 */
public final class ClipEvaluator {
    private static final int BATCH = 128;

    private final ClipModel model;
    private final ClipTokenizer tokenizer;

    public ClipEvaluator(ClipModel model, ClipTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** L2-normalised image embeddings, row-major (N, E). */
    public float[] imageEmbeddings(ImageTextData data) {
        return imageEmbeddings(data, model.config().embedDim(), model::encodeImage);
    }

    /** L2-normalised image embeddings (N, E) of any image tower: images (B, 3, S, S) → features (B, E), in batches, no gradients. */
    public static float[] imageEmbeddings(ImageTextData data, int e, UnaryOperator<Tensor> encodeImage) {
        int n = data.size(), side = data.imageSize(), per = 3 * side * side;
        float[] out = new float[n * e]; // (N, E)
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < n; s += BATCH) {
                int b = Math.min(BATCH, n - s);
                float[] pixels = new float[b * per]; // (b, 3, S, S)
                for (int j = 0; j < b; j++) data.image(s + j, pixels, j * per);
                Tensor f = encodeImage.apply(Tensor.of(pixels, b, 3, side, side)); // (b, E)
                System.arraycopy(Norms.l2Normalize(f, -1, Norms.NORMALIZE_EPS).toArray(), 0, out, s * e, b * e);
            }
        }
        return out;
    }

    /** L2-normalised text embeddings, row-major (M, E). */
    public float[] textEmbeddings(List<String> texts) {
        int m = texts.size(), e = model.config().embedDim(), ctx = model.config().text().contextLength();
        float[] out = new float[m * e];
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < m; s += BATCH) {
                int b = Math.min(BATCH, m - s);
                int[][] ids = new int[b][];
                int len = 1;
                for (int j = 0; j < b; j++) {
                    ids[j] = trim(tokenizer.encode(texts.get(s + j), ctx));
                    len = Math.max(len, ids[j].length);
                }
                int[] flat = new int[b * len]; // (b, T)
                for (int j = 0; j < b; j++) System.arraycopy(ids[j], 0, flat, j * len, ids[j].length);
                Tensor f = model.encodeText(flat, b, len); // (b, E)
                System.arraycopy(Norms.l2Normalize(f, -1, Norms.NORMALIZE_EPS).toArray(), 0, out, s * e, b * e);
            }
        }
        return out;
    }

    private int[] trim(int[] ids) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == tokenizer.endId()) return Arrays.copyOf(ids, i + 1);
        return ids;
    }

    /**
     * Class embeddings from prompt templates: each class name is put in every template
     * ({@code "a photo of a {}."}), the normalised embeddings averaged and normalised again.
     * Returns (C, E) row-major.
     */
    public float[] classEmbeddings(List<String> classNames, List<String> templates) {
        List<List<String>> prompts = new ArrayList<>();
        for (String c : classNames) prompts.add(templates.stream().map(t -> t.replace("{}", c)).toList());
        return classEmbeddings(prompts);
    }

    /** Class embeddings from an explicit prompt list per class (averaged, then normalised): (C, E). */
    public float[] classEmbeddings(List<List<String>> promptsPerClass) {
        return classEmbeddings(promptsPerClass, model.config().embedDim(), this::textEmbeddings);
    }

    /**
     * Class embeddings of any text tower: every prompt embedded by {@code textEmbeddings} (normalised
     * rows (M, E)), each class's averaged and normalised again. Returns (C, E) row-major.
     */
    public static float[] classEmbeddings(List<List<String>> promptsPerClass, int e, Function<List<String>, float[]> textEmbeddings) {
        List<String> prompts = new ArrayList<>();
        int[] start = new int[promptsPerClass.size() + 1];
        for (int c = 0; c < promptsPerClass.size(); c++) {
            if (promptsPerClass.get(c).isEmpty()) throw new IllegalArgumentException("zero-shot: class " + c + " has no prompts");
            prompts.addAll(promptsPerClass.get(c));
            start[c + 1] = prompts.size();
        }
        float[] all = textEmbeddings.apply(prompts); // (M, E)
        float[] out = new float[promptsPerClass.size() * e]; // (C, E)
        for (int c = 0; c < promptsPerClass.size(); c++) {
            double norm = 0;
            for (int k = 0; k < e; k++) {
                float s = 0;
                for (int p = start[c]; p < start[c + 1]; p++) s += all[p * e + k];
                out[c * e + k] = s;
                norm += (double) s * s;
            }
            float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int k = 0; k < e; k++) out[c * e + k] *= inv;
        }
        return out;
    }

    /** Cosine similarities (A, B) of two row-major normalised embedding sets. */
    public static float[] similarity(float[] a, int rowsA, float[] b, int rowsB, int e) {
        try (var ignored = GradMode.noGrad()) {
            return Tensor.of(a, rowsA, e).matmul(Tensor.of(b, rowsB, e).transpose(0, 1)).toArray(); // (A, B)
        }
    }

    /** Zero-shot top-1 and top-5 accuracy of images against class prompts. */
    public double[] zeroShot(float[] imageEmbeddings, int images, List<String> classNames, List<String> templates, int[] labels) {
        List<List<String>> prompts = new ArrayList<>();
        for (String c : classNames) prompts.add(templates.stream().map(t -> t.replace("{}", c)).toList());
        return zeroShot(imageEmbeddings, images, prompts, labels);
    }

    /** Zero-shot top-1 and top-5 accuracy with an explicit prompt ensemble per class. */
    public double[] zeroShot(float[] imageEmbeddings, int images, List<List<String>> promptsPerClass, int[] labels) {
        return zeroShot(imageEmbeddings, images, classEmbeddings(promptsPerClass), promptsPerClass.size(), model.config().embedDim(), labels);
    }

    /** Zero-shot top-1 and top-5 accuracy of normalised image embeddings (N, E) against class embeddings (C, E). */
    public static double[] zeroShot(float[] imageEmbeddings, int images, float[] classEmbeddings, int classes, int e, int[] labels) {
        float[] scores = similarity(imageEmbeddings, images, classEmbeddings, classes, e); // (N, C)
        return new double[] {ZeroShotMetrics.topK(scores, images, classes, labels, 1),
                ZeroShotMetrics.topK(scores, images, classes, labels, Math.min(5, classes))};
    }

    /** Retrieval both ways over every caption of every image; also returns the similarity matrix. */
    public record Retrieval(RetrievalMetrics.Result metrics, float[] similarity, int images, int texts) {}

    public Retrieval retrieval(ImageTextData data) {
        float[] img = imageEmbeddings(data);
        List<String> texts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            for (String c : data.captions(i)) {
                texts.add(c);
                owner.add(i);
            }
        }
        float[] txt = textEmbeddings(texts);
        int e = model.config().embedDim();
        float[] sim = similarity(img, data.size(), txt, texts.size(), e); // (N, M)
        int[] textImage = owner.stream().mapToInt(Integer::intValue).toArray();
        return new Retrieval(RetrievalMetrics.compute(sim, data.size(), texts.size(), textImage), sim, data.size(), texts.size());
    }
}
