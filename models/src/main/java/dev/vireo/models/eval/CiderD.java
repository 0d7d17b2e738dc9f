package dev.vireo.models.eval;

import it.unimi.dsi.fastutil.objects.Object2DoubleOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntLinkedOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CIDEr-D exactly as the COCO caption evaluation computes it (pycocoevalcap {@code cider_scorer.py};
 * Vedantam et al. 2015, "CIDEr: Consensus-based Image Description Evaluation").
 *
 * <p>Each caption becomes, for n = 1..4, a TF-IDF vector of its n-grams: {@code tf × (log N -
 * log max(1, df))}, N the number of images and df the number of images whose references hold the
 * n-gram, so the document frequencies come from the evaluated corpus's references. For each
 * reference and n: the clipped dot product {@code Σ min(c, r) r} over the candidate's n-grams,
 * divided by the two norms when both are non-zero, times the length penalty
 * {@code exp(-δ² / 2σ²)} with σ = 6. The four orders are averaged, summed over the references and
 * divided by their number, and multiplied by 10. The corpus figure is the mean over images.
 *
 * <p>One detail is kept as the reference has it: the length δ in the penalty is the difference of
 * the captions' bigram counts (the reference adds up term frequencies at order index 1), which is
 * the difference of word counts whenever both captions have at least two words.
 */
public final class CiderD {
    /** The standard deviation of the Gaussian length penalty. */
    public static final double SIGMA = 6.0;
    private static final int MAX_ORDER = 4;

    private CiderD() {}

    /** CIDEr-D of every candidate against its references; document frequencies come from all the references given. */
    public static double[] compute(List<List<String>> references, List<String> candidates) {
        CaptionMetrics.checkSizes(references, candidates);
        int images = candidates.size();
        List<List<Object2IntLinkedOpenHashMap<String>>> cookedRefs = new ArrayList<>(images);
        Object2IntOpenHashMap<String> documentFrequency = new Object2IntOpenHashMap<>();
        for (List<String> refs : references) {
            List<Object2IntLinkedOpenHashMap<String>> cooked = new ArrayList<>(refs.size());
            Set<String> seen = new HashSet<>();
            for (String ref : refs) {
                Object2IntLinkedOpenHashMap<String> counts = NGramCounts.cook(ref, MAX_ORDER).counts();
                cooked.add(counts);
                seen.addAll(counts.keySet());
            }
            for (String ngram : seen) documentFrequency.addTo(ngram, 1);
            cookedRefs.add(cooked);
        }
        double logImages = Math.log(images);
        double[] scores = new double[images];
        for (int i = 0; i < images; i++) {
            TfIdf test = TfIdf.of(NGramCounts.cook(candidates.get(i), MAX_ORDER).counts(), documentFrequency, logImages);
            double[] sum = new double[MAX_ORDER];
            for (Object2IntLinkedOpenHashMap<String> ref : cookedRefs.get(i)) {
                TfIdf reference = TfIdf.of(ref, documentFrequency, logImages);
                double delta = test.bigrams - reference.bigrams;
                double penalty = Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
                for (int n = 0; n < MAX_ORDER; n++) {
                    double value = 0;
                    for (var e : test.vectors.get(n).object2DoubleEntrySet()) {
                        double r = reference.vectors.get(n).getDouble(e.getKey()); // 0 when absent
                        value += Math.min(e.getDoubleValue(), r) * r; // clipped: CIDEr-D
                    }
                    if (test.norms[n] != 0 && reference.norms[n] != 0) value /= test.norms[n] * reference.norms[n];
                    sum[n] += value * penalty;
                }
            }
            double mean = 0;
            for (double s : sum) mean += s;
            mean /= MAX_ORDER;
            scores[i] = mean / cookedRefs.get(i).size() * 10.0;
        }
        return scores;
    }

    /** A caption's TF-IDF vectors per order, their norms, and its bigram count (the reference's "length"). */
    private record TfIdf(List<Object2DoubleOpenHashMap<String>> vectors, double[] norms, int bigrams) {
        static TfIdf of(Object2IntLinkedOpenHashMap<String> counts, Object2IntOpenHashMap<String> documentFrequency, double logImages) {
            List<Object2DoubleOpenHashMap<String>> vectors = new ArrayList<>(MAX_ORDER);
            for (int n = 0; n < MAX_ORDER; n++) vectors.add(new Object2DoubleOpenHashMap<>());
            double[] squares = new double[MAX_ORDER];
            int bigrams = 0;
            for (var e : counts.object2IntEntrySet()) {
                int n = NGramCounts.Cooked.order(e.getKey()) - 1;
                double idf = logImages - Math.log(Math.max(1.0, documentFrequency.getInt(e.getKey())));
                double weight = e.getIntValue() * idf;
                vectors.get(n).put(e.getKey(), weight);
                squares[n] += weight * weight;
                if (n == 1) bigrams += e.getIntValue();
            }
            double[] norms = new double[MAX_ORDER];
            for (int n = 0; n < MAX_ORDER; n++) norms[n] = Math.sqrt(squares[n]);
            return new TfIdf(vectors, norms, bigrams);
        }
    }
}
