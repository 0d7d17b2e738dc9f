package dev.vireo.models.eval;

import dev.vireo.engine.autograd.ShapeOps;
import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.text.TokenBatch;
import dev.vireo.models.train.ImageTextData;
import dev.vireo.models.train.PatchColours;
import dev.vireo.models.train.RegionLabelledData;
import dev.vireo.models.vl.VlScorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Held-out measures of a vision-language model: image-text matching against hard negatives, masked
 * words predicted with the image in view, masked patches' colours and regions, and retrieval by the
 * contrastive scores alone and with their top k re-ranked by the matching head (ALBEF's inference recipe).
 */
public final class VlEvaluator {
    private static final int IMAGE_CHUNK = 64;

    private final VlScorer scorer;

    public VlEvaluator(VlScorer scorer) {
        this.scorer = scorer;
    }

    /** Every image of {@code data}, encoded. */
    public VlScorer.Images images(ImageTextData data) {
        int side = data.imageSize(), per = 3 * side * side;
        List<Tensor> tokens = new ArrayList<>(), embeddings = new ArrayList<>();
        for (int from = 0; from < data.size(); from += IMAGE_CHUNK) {
            int n = Math.min(IMAGE_CHUNK, data.size() - from);
            float[] pixels = new float[n * per]; // (n, 3, S, S)
            for (int i = 0; i < n; i++) data.image(from + i, pixels, i * per);
            VlScorer.Images chunk = scorer.encodeImages(Tensor.of(pixels, n, 3, side, side));
            tokens.add(chunk.tokens());
            if (chunk.embeddings() != null) embeddings.add(chunk.embeddings());
        }
        try (var ignored = GradMode.noGrad()) {
            return new VlScorer.Images(ShapeOps.concat(0, tokens.toArray(Tensor[]::new)),                  // (N, S, Cv)
                    embeddings.isEmpty() ? null : ShapeOps.concat(0, embeddings.toArray(Tensor[]::new))); // (N, E)
        }
    }

    /** Matching accuracy over each image with its first caption and with its hard negative ({@link #hardNegatives}). */
    public record Matching(double accuracy, double positives, double negatives, int pairs) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accuracy", accuracy);
            m.put("positive_accuracy", positives);
            m.put("negative_accuracy", negatives);
            m.put("pairs", pairs);
            return m;
        }
    }

    public Matching matching(ImageTextData data, VlScorer.Images images) {
        int n = data.size();
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) texts.add(data.captions(i).getFirst());
        int[] negative = hardNegatives(data);
        List<String> negatives = new ArrayList<>(n);
        for (int i = 0; i < n; i++) negatives.add(data.captions(negative[i]).getFirst());
        int[] same = new int[n];
        for (int i = 0; i < n; i++) same[i] = i;
        float[] pos = scorer.matchProbabilities(images, scorer.encodeTexts(texts), same, same);
        float[] neg = scorer.matchProbabilities(images, scorer.encodeTexts(negatives), same, same);
        int rightPos = 0, rightNeg = 0;
        for (int i = 0; i < n; i++) {
            if (pos[i] > 0.5f) rightPos++;
            if (neg[i] < 0.5f) rightNeg++;
        }
        return new Matching((rightPos + rightNeg) / (2.0 * n), rightPos / (double) n, rightNeg / (double) n, 2 * n);
    }

    /**
     * For each image, the other image whose first caption shares the most words with its own (ties:
     * the lower index) without being one of its captions: "a red circle left of a blue square"
     * meets "a blue circle left of a red square". Chosen from the words alone, so every model is
     * measured on the same pairs.
     */
    public static int[] hardNegatives(ImageTextData data) {
        int n = data.size();
        List<Set<String>> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) words.add(new HashSet<>(Arrays.asList(data.captions(i).getFirst().split(" "))));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestScore = -1;
            List<String> own = data.captions(i);
            for (int j = 0; j < n; j++) {
                if (j == i || own.contains(data.captions(j).getFirst())) continue;
                Set<String> common = new HashSet<>(words.get(i));
                common.retainAll(words.get(j));
                Set<String> union = new HashSet<>(words.get(i));
                union.addAll(words.get(j));
                double score = common.size() / (double) union.size();
                if (score > bestScore) {
                    bestScore = score;
                    best = j;
                }
            }
            if (best < 0) throw new IllegalArgumentException("matching: image " + i + " has no caption of another image that is not its own");
            out[i] = best;
        }
        return out;
    }

    /**
     * Masked-word accuracy: in each image's first caption, every word of each group (e.g. colours,
     * shapes) in turn replaced by [MASK] and predicted from the fused text and image. Returns each
     * group's accuracy and "all"; a word the vocabulary splits into several pieces is not probed.
     */
    public Map<String, Double> maskedWords(ImageTextData data, VlScorer.Images images, Map<String, Set<String>> groups) {
        var tokenizer = scorer.tokenizer();
        List<Integer> imageOf = new ArrayList<>(), position = new ArrayList<>(), target = new ArrayList<>();
        List<String> groupOf = new ArrayList<>();
        List<int[]> rows = new ArrayList<>();
        TokenBatch batch = scorer.tokens(firstCaptions(data));
        for (int i = 0; i < data.size(); i++) {
            int[] ids = batch.row(i);
            for (var g : groups.entrySet()) {
                for (String word : g.getValue()) {
                    int[] pieces = tokenizer.tokenize(word);
                    if (pieces.length != 1) continue;
                    for (int p = 0; p < ids.length; p++) {
                        if (ids[p] != pieces[0]) continue;
                        int[] masked = ids.clone();
                        masked[p] = tokenizer.maskId();
                        rows.add(masked);
                        imageOf.add(i);
                        position.add(p);
                        target.add(pieces[0]);
                        groupOf.add(g.getKey());
                    }
                }
            }
        }
        int m = rows.size(), t = batch.length();
        int[] ids = new int[m * t], attention = new int[m * t];
        for (int k = 0; k < m; k++) {
            System.arraycopy(rows.get(k), 0, ids, k * t, t);
            System.arraycopy(batch.attentionMask(), imageOf.get(k) * t, attention, k * t, t);
        }
        int[] predicted = scorer.predictMasked(images, ids, attention, m, t, imageOf.stream().mapToInt(Integer::intValue).toArray(),
                position.stream().mapToInt(Integer::intValue).toArray());
        Map<String, int[]> counts = new LinkedHashMap<>(); // group → {right, total}
        for (String g : groups.keySet()) counts.put(g, new int[2]);
        counts.put("all", new int[2]);
        for (int k = 0; k < m; k++) {
            boolean right = predicted[k] == target.get(k);
            for (String g : new String[] {groupOf.get(k), "all"}) {
                counts.get(g)[0] += right ? 1 : 0;
                counts.get(g)[1]++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((g, c) -> out.put(g, c[1] == 0 ? Double.NaN : c[0] / (double) c[1]));
        return out;
    }

    /** Masked region modelling on held-out images: accuracy of the mean-colour bin, of the region class, and of the region class on patches a shape covers. */
    public record Regions(double colourAccuracy, double regionAccuracy, double shapeRegionAccuracy, int patches) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("colour_bin_accuracy", colourAccuracy);
            m.put("region_accuracy", regionAccuracy);
            m.put("shape_region_accuracy", shapeRegionAccuracy);
            m.put("masked_patches", patches);
            return m;
        }
    }

    /**
     * Every image of {@code data} with the same 15% of its patches masked (drawn from {@code seed}),
     * each masked patch's colour bin and region class predicted as in training (for early fusion
     * with the image's first caption in view). Needs a model trained with region classes.
     */
    public Regions maskedRegions(RegionLabelledData data, long seed) {
        var model = scorer.model();
        var vision = model.config().vision();
        int grid = vision.grid(), p = grid * grid, side = data.imageSize(), per = 3 * side * side;
        dev.vireo.engine.tensor.Rng rng = new dev.vireo.engine.tensor.Rng(seed);
        int colourRight = 0, regionRight = 0, shapeRight = 0, shapes = 0, total = 0;
        for (int from = 0; from < data.size(); from += IMAGE_CHUNK) {
            int n = Math.min(IMAGE_CHUNK, data.size() - from);
            float[] pixels = new float[n * per]; // (n, 3, S, S)
            for (int i = 0; i < n; i++) data.image(from + i, pixels, i * per);
            int[] colours = PatchColours.bins(pixels, n, side, vision.patchSize());
            float[] chosen = new float[n * p]; // (n, P)
            for (int i = 0; i < chosen.length; i++) chosen[i] = rng.nextDouble() < 0.15 ? 1f : 0f;
            try (var ignored = GradMode.noGrad()) {
                Tensor image = model.maskedImageTokens(Tensor.of(pixels, n, 3, side, side), Tensor.of(chosen, n, p, 1)); // (n, 1+P, Cv)
                Tensor hidden = image;
                int offset = 1;
                if (!model.config().hasUnimodalEmbeddings()) {
                    List<String> captions = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) captions.add(data.captions(from + i).getFirst());
                    VlScorer.Texts texts = scorer.encodeTexts(captions);
                    hidden = model.fuse(texts.tokens(), texts.mask(), image); // (n, T+1+P, C)
                    offset = texts.tokens().size(1) + 1;
                }
                int l = hidden.size(1), w = hidden.size(2);
                List<Integer> rows = new ArrayList<>(), at = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < p; j++) {
                        if (chosen[i * p + j] == 0f) continue;
                        rows.add(i * l + offset + j);
                        at.add(i * p + j);
                    }
                }
                Tensor masked = hidden.reshape(n * l, w).indexSelect(0, rows.stream().mapToInt(Integer::intValue).toArray()); // (N, W)
                int[] colourGuess = VlScorer.argmax(model.patchColourLogits(masked).dense().toArray(), rows.size());
                int[] regionGuess = VlScorer.argmax(model.regionLogits(masked).dense().toArray(), rows.size());
                for (int k = 0; k < rows.size(); k++) {
                    int i = at.get(k) / p, j = at.get(k) % p;
                    int truth = data.regionLabels(from + i, grid)[j];
                    colourRight += colourGuess[k] == colours[at.get(k)] ? 1 : 0;
                    regionRight += regionGuess[k] == truth ? 1 : 0;
                    if (truth != 0) {
                        shapes++;
                        shapeRight += regionGuess[k] == truth ? 1 : 0;
                    }
                    total++;
                }
            }
        }
        return new Regions(colourRight / (double) total, regionRight / (double) total, shapes == 0 ? Double.NaN : shapeRight / (double) shapes, total);
    }

    /** Retrieval by the contrastive scores alone and with each query's top {@code k} re-ranked by the matching head. */
    public record Retrieval(RetrievalMetrics.Result itc, RetrievalMetrics.Result itcItmRerank, int k) {}

    /**
     * Retrieval over every caption of every image. Re-ranking puts each query's top {@code k}
     * candidates by cosine first, in the order of their match probability; the rest keep their
     * cosine order. Needs a model with contrastive embeddings.
     */
    public Retrieval retrieval(ImageTextData data, VlScorer.Images images, int k) {
        List<String> texts = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            for (String c : data.captions(i)) {
                texts.add(c);
                owner.add(i);
            }
        }
        int ni = data.size(), nt = texts.size();
        int[] textImage = owner.stream().mapToInt(Integer::intValue).toArray();
        VlScorer.Texts encoded = scorer.encodeTexts(texts);
        float[] cosine = scorer.cosine(images, encoded); // (Ni, Nt)
        if (cosine == null) throw new IllegalArgumentException("retrieval: an early-fusion model has no contrastive scores to rank by");
        // image → text: each image's top k texts; text → image: each text's top k images
        float[] i2t = cosine.clone(), t2i = cosine.clone();
        List<int[]> pairs = new ArrayList<>(); // {image, text, direction}
        for (int i = 0; i < ni; i++) for (int t : topK(cosine, i * nt, 1, nt, k)) pairs.add(new int[] {i, t, 0});
        for (int t = 0; t < nt; t++) for (int i : topK(cosine, t, nt, ni, k)) pairs.add(new int[] {i, t, 1});
        int[] im = new int[pairs.size()], tx = new int[pairs.size()];
        for (int p = 0; p < im.length; p++) {
            im[p] = pairs.get(p)[0];
            tx[p] = pairs.get(p)[1];
        }
        float[] match = scorer.matchProbabilities(images, encoded, im, tx);
        for (int p = 0; p < im.length; p++) {
            float[] target = pairs.get(p)[2] == 0 ? i2t : t2i;
            target[im[p] * nt + tx[p]] = 10f + match[p]; // above every cosine, in match order
        }
        RetrievalMetrics.Result plain = RetrievalMetrics.compute(cosine, ni, nt, textImage);
        RetrievalMetrics.Result i2tRanked = RetrievalMetrics.compute(i2t, ni, nt, textImage);
        RetrievalMetrics.Result t2iRanked = RetrievalMetrics.compute(t2i, ni, nt, textImage);
        return new Retrieval(plain, new RetrievalMetrics.Result(i2tRanked.imageToText(), t2iRanked.textToImage()), k);
    }

    /** Indices of the k largest of m values at base + j·stride (ties: lower index first). */
    static int[] topK(float[] values, int base, int stride, int m, int k) {
        Integer[] order = new Integer[m];
        for (int j = 0; j < m; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Float.compare(values[base + b * stride], values[base + a * stride]));
        int[] out = new int[Math.min(k, m)];
        for (int j = 0; j < out.length; j++) out[j] = order[j];
        return out;
    }

    private static List<String> firstCaptions(ImageTextData data) {
        List<String> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) out.add(data.captions(i).getFirst());
        return out;
    }
}
