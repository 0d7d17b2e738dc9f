package dev.vireo.models.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Image–text retrieval metrics with several captions per image, both directions: Recall@K (a hit if
 * any relevant item is in the top K), MRR (reciprocal rank of the first relevant item), mAP (mean
 * average precision over all relevant items) and the median rank of the first relevant item.
 * Ties are broken by index, so the figures are deterministic.
 */
public final class RetrievalMetrics {
    private RetrievalMetrics() {}

    /** The figures for one direction. Recall values and MRR/mAP are fractions in [0, 1]. */
    public record Direction(double r1, double r5, double r10, double mrr, double map, double medianRank) {
        public Map<String, Double> toMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("R@1", r1);
            m.put("R@5", r5);
            m.put("R@10", r10);
            m.put("MRR", mrr);
            m.put("mAP", map);
            m.put("median_rank", medianRank);
            return m;
        }
    }

    /** Both directions. */
    public record Result(Direction imageToText, Direction textToImage) {}

    /**
     * @param similarity  row-major (images × texts) scores, higher is more similar
     * @param textImage   for each text, the index of the image it describes
     */
    public static Result compute(float[] similarity, int images, int texts, int[] textImage) {
        if (similarity.length != (long) images * texts) {
            throw new IllegalArgumentException("retrieval: similarity has " + similarity.length + " values, expected "
                    + images + " x " + texts);
        }
        if (textImage.length != texts) {
            throw new IllegalArgumentException("retrieval: " + textImage.length + " text→image labels for " + texts + " texts");
        }
        for (int t = 0; t < texts; t++) {
            if (textImage[t] < 0 || textImage[t] >= images) {
                throw new IllegalArgumentException("retrieval: text " + t + " points at image " + textImage[t] + " of " + images);
            }
        }
        // image → text: each image ranks all texts; its captions are relevant
        double[][] i2t = new double[images][];
        int[] captionsPer = new int[images];
        for (int t : textImage) captionsPer[t]++;
        for (int i = 0; i < images; i++) {
            int[] relevantRanks = new int[captionsPer[i]];
            int r = 0;
            for (int t = 0; t < texts; t++) {
                if (textImage[t] == i) relevantRanks[r++] = rank(similarity, i * texts, 1, texts, t);
            }
            i2t[i] = toDouble(relevantRanks);
        }
        // text → image: each text ranks all images; one is relevant
        double[][] t2i = new double[texts][];
        for (int t = 0; t < texts; t++) {
            t2i[t] = new double[] {rank(similarity, t, texts, images, textImage[t])};
        }
        return new Result(summarise(i2t), summarise(t2i));
    }

    /**
     * The figures from each query's ranks of its relevant items (1-based), queries in order: what
     * {@link #compute} does after ranking, for callers that rank apart (a Spark job, partition by
     * partition) and must get the same figures to the bit.
     */
    public static Result fromRanks(double[][] imageToText, double[][] textToImage) {
        return new Result(summarise(imageToText), summarise(textToImage));
    }

    /** 1-based rank of {@code target} among n scores at base + j·stride (ties: lower index first). */
    public static int rank(float[] s, int base, int stride, int n, int target) {
        float v = s[base + target * stride];
        int better = 0;
        for (int j = 0; j < n; j++) {
            float o = s[base + j * stride];
            if (o > v || (o == v && j < target)) better++;
        }
        return better + 1;
    }

    private static double[] toDouble(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Each query's sorted ranks of its relevant items → the direction's figures. */
    private static Direction summarise(double[][] ranksPerQuery) {
        int queries = 0;
        double r1 = 0, r5 = 0, r10 = 0, mrr = 0, map = 0;
        double[] firsts = new double[ranksPerQuery.length];
        for (double[] ranks : ranksPerQuery) {
            if (ranks.length == 0) continue; // an image without captions asks nothing
            Arrays.sort(ranks);
            double first = ranks[0];
            firsts[queries++] = first;
            if (first <= 1) r1++;
            if (first <= 5) r5++;
            if (first <= 10) r10++;
            mrr += 1.0 / first;
            double ap = 0;
            for (int k = 0; k < ranks.length; k++) ap += (k + 1) / ranks[k]; // precision at each relevant hit
            map += ap / ranks.length;
        }
        if (queries == 0) return new Direction(0, 0, 0, 0, 0, 0);
        double[] f = Arrays.copyOf(firsts, queries);
        Arrays.sort(f);
        double median = queries % 2 == 1 ? f[queries / 2] : (f[queries / 2 - 1] + f[queries / 2]) / 2;
        return new Direction(r1 / queries, r5 / queries, r10 / queries, mrr / queries, map / queries, median);
    }
}
