package dev.vireo.models.eval;

import dev.vireo.models.data.CaptionCandidate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The COCO caption metrics over a corpus, as pycocoevalcap's {@code COCOEvalCap} reports them:
 * BLEU-1..4 ({@link BleuScore}), ROUGE-L ({@link RougeL}) and CIDEr-D ({@link CiderD}) under the
 * names {@code Bleu_1 .. Bleu_4, ROUGE_L, CIDEr}, for the corpus and for each image. The corpus
 * BLEU is computed from summed counts, ROUGE-L and CIDEr-D are means over images. METEOR and SPICE
 * are left out: they run Java programs (Meteor 1.5, SPICE 1.0) that no registry here serves.
 */
public final class CaptionMetrics {
    /** The metric names, in the order the reference prints them. */
    public static final List<String> NAMES = List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");

    private CaptionMetrics() {}

    /** Corpus figures and per-image figures (keyed by id, in input order), each a map from {@link #NAMES}. */
    public record Scores(Map<String, Double> corpus, Map<String, Map<String, Double>> perImage) {}

    /** Tokenises references and candidates with {@link CaptionTokenizer} (as COCOEvalCap does) and scores them. */
    public static Scores evaluate(List<CaptionCandidate> items) {
        List<String> ids = new ArrayList<>(items.size());
        List<List<String>> references = new ArrayList<>(items.size());
        List<String> candidates = new ArrayList<>(items.size());
        for (CaptionCandidate item : items) {
            ids.add(item.id());
            references.add(item.references().stream().map(CaptionTokenizer::tokenize).toList());
            candidates.add(CaptionTokenizer.tokenize(item.candidate()));
        }
        return scoreTokenized(ids, references, candidates);
    }

    /** Scores captions that are already tokenised (words separated by single spaces), as the reference scorers take them. */
    public static Scores scoreTokenized(List<String> ids, List<List<String>> references, List<String> candidates) {
        checkSizes(references, candidates);
        if (ids.size() != candidates.size()) throw new IllegalArgumentException(ids.size() + " ids for " + candidates.size() + " candidates");
        if (candidates.isEmpty()) throw new IllegalArgumentException("no captions to score");
        BleuScore.Scores bleu = BleuScore.compute(references, candidates);
        double[] rouge = RougeL.compute(references, candidates);
        double[] cider = CiderD.compute(references, candidates);
        Map<String, Map<String, Double>> perImage = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (perImage.put(ids.get(i), row(bleu.perImage()[i], rouge[i], cider[i])) != null) {
                throw new IllegalArgumentException("duplicate id " + ids.get(i));
            }
        }
        return new Scores(row(bleu.corpus(), mean(rouge), mean(cider)), perImage);
    }

    private static Map<String, Double> row(double[] bleu, double rouge, double cider) {
        Map<String, Double> row = new LinkedHashMap<>();
        for (int k = 0; k < BleuScore.MAX_ORDER; k++) row.put(NAMES.get(k), bleu[k]);
        row.put("ROUGE_L", rouge);
        row.put("CIDEr", cider);
        return row;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    /** One list of references (not empty) per candidate. */
    static void checkSizes(List<List<String>> references, List<String> candidates) {
        if (references.size() != candidates.size()) {
            throw new IllegalArgumentException(references.size() + " reference lists for " + candidates.size() + " candidates");
        }
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i).isEmpty()) throw new IllegalArgumentException("candidate " + i + " has no reference");
        }
    }
}
