package dev.vireo.models.eval;

import dev.vireo.models.data.VqaAnswerNormalizer;
import dev.vireo.models.data.VqaPrediction;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VQA accuracy exactly as the official evaluation computes it (GT-Vision-Lab/VQA,
 * {@code vqaEval.py}; Antol et al. 2015 and Goyal et al. 2017): a predicted answer scores
 * {@code min(1, #humans who gave it / 3)}, averaged over the ten leave-one-out subsets of nine of
 * the ten human answers, so 1, 2, 3 matching humans give 0.3, 0.6, 0.9 and four or more give 1.
 *
 * <p>As the reference does it: every answer first has newlines and tabs turned into spaces and is
 * stripped; then only when the human answers are not all the same, the human answers and the
 * prediction are normalised ({@link VqaAnswerNormalizer}). When all ten agree nothing is
 * normalised, so "Yes" or "yes." against ten "yes" scores 0. The overall figure is the mean in
 * percent rounded to two decimals with Python 3's {@code round} (half to even on the exact binary
 * value; Python 2, which the reference was written for, rounds exact ties away from zero).
 */
public final class VqaAccuracy {
    /** Decimals the reference rounds percentages to ({@code VQAEval(n=2)}). */
    public static final int DECIMALS = 2;

    private VqaAccuracy() {}

    /** Overall accuracy in percent, rounded as the reference rounds it, and each question's accuracy in 0..1 (unrounded), by id. */
    public record Result(double overall, Map<String, Double> perQuestion) {}

    /** The accuracy (0..1) of {@code prediction} against the human answers. */
    public static double score(List<String> humanAnswers, String prediction) {
        if (humanAnswers.isEmpty()) throw new IllegalArgumentException("VQA accuracy needs at least one human answer");
        String[] answers = new String[humanAnswers.size()];
        for (int i = 0; i < answers.length; i++) answers[i] = VqaAnswerNormalizer.clean(humanAnswers.get(i));
        String predicted = VqaAnswerNormalizer.clean(prediction);
        if (new HashSet<>(List.of(answers)).size() > 1) {
            for (int i = 0; i < answers.length; i++) answers[i] = VqaAnswerNormalizer.normalize(answers[i]);
            predicted = VqaAnswerNormalizer.normalize(predicted);
        }
        int matching = 0;
        for (String answer : answers) if (answer.equals(predicted)) matching++;
        double sum = 0;
        for (String left : answers) {
            int others = matching - (left.equals(predicted) ? 1 : 0); // matches among the other nine
            sum += Math.min(1.0, others / 3.0);
        }
        return sum / answers.length;
    }

    /** Scores every prediction; ids must be distinct. */
    public static Result evaluate(List<VqaPrediction> predictions) {
        if (predictions.isEmpty()) throw new IllegalArgumentException("no questions to score");
        Map<String, Double> perQuestion = new LinkedHashMap<>();
        double[] accuracies = new double[predictions.size()];
        for (int i = 0; i < accuracies.length; i++) {
            VqaPrediction p = predictions.get(i);
            accuracies[i] = score(p.answers(), p.prediction());
            if (perQuestion.put(p.id(), accuracies[i]) != null) throw new IllegalArgumentException("duplicate question id " + p.id());
        }
        return new Result(overall(accuracies), perQuestion);
    }

    /** {@code round(100 * sum / n, 2)}: the reference's overall percent, summed left to right as Python's {@code sum} does. */
    public static double overall(double[] accuracies) {
        double sum = 0;
        for (double a : accuracies) sum += a;
        return roundHalfEven(100 * sum / accuracies.length, DECIMALS);
    }

    /** Python 3's {@code round(x, digits)}: the exact binary value rounded half to even, back to the nearest double. */
    static double roundHalfEven(double x, int digits) {
        if (!Double.isFinite(x)) return x;
        return Double.parseDouble(new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString());
    }
}
