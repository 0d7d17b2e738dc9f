package dev.vireo.models.eval;

import dev.vireo.models.train.QuestionAnswerData;
import dev.vireo.models.vl.VlScorer;
import dev.vireo.models.vqa.AnswerVocabulary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Held-out question answering accuracy of a fusion model with an answer head: every question of
 * every image answered by the argmax of its logits, scored by the soft score the data gives that
 * answer (the VQA accuracy of an answer for VQA v2 scores; 1 or 0 for the shapes world's one true
 * answer), averaged overall and per question type.
 */
public final class VqaEvaluator {
    private VqaEvaluator() {}

    /** One answered question. */
    public record Prediction(int image, String question, String type, String predicted, String expected, double accuracy) {}

    /** Overall and per-type accuracy in [0, 1], the number of questions, and every prediction in data order. */
    public record Result(double overall, Map<String, Double> perType, int questions, List<Prediction> predictions) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("overall", overall);
            m.put("per_type", perType);
            m.put("questions", questions);
            return m;
        }
    }

    public static Result evaluate(VlScorer scorer, AnswerVocabulary answers, QuestionAnswerData data) {
        if (scorer.model().config().answerClasses() != answers.size()) {
            throw new IllegalArgumentException("vqa: the model answers " + scorer.model().config().answerClasses() + " classes but the answer list holds "
                    + answers.size());
        }
        VlScorer.Images images = new VlEvaluator(scorer).images(data);
        List<String> questions = new ArrayList<>();
        List<int[]> where = new ArrayList<>(); // (image, question)
        for (int i = 0; i < data.size(); i++) {
            List<String> q = data.captions(i);
            for (int k = 0; k < q.size(); k++) {
                questions.add(q.get(k));
                where.add(new int[] {i, k});
            }
        }
        VlScorer.Texts texts = scorer.encodeTexts(questions);
        int n = questions.size();
        int[] imageIndex = new int[n], textIndex = new int[n];
        for (int k = 0; k < n; k++) {
            imageIndex[k] = where.get(k)[0];
            textIndex[k] = k;
        }
        int[] best = VlScorer.argmax(scorer.answerLogits(images, texts, imageIndex, textIndex), n);
        List<Prediction> predictions = new ArrayList<>(n);
        Map<String, double[]> byType = new TreeMap<>(); // type → (sum, count)
        double total = 0;
        for (int k = 0; k < n; k++) {
            int image = where.get(k)[0], question = where.get(k)[1];
            String predicted = answers.answer(best[k]);
            List<QuestionAnswerData.ScoredAnswer> truth = data.answers(image, question);
            double accuracy = 0;
            for (QuestionAnswerData.ScoredAnswer s : truth) if (s.answer().equals(predicted)) accuracy = Math.max(accuracy, s.score());
            String type = data.questionType(image, question);
            predictions.add(new Prediction(image, questions.get(k), type, predicted, truth.getFirst().answer(), accuracy));
            double[] t = byType.computeIfAbsent(type, x -> new double[2]);
            t[0] += accuracy;
            t[1]++;
            total += accuracy;
        }
        Map<String, Double> perType = new LinkedHashMap<>();
        byType.forEach((type, t) -> perType.put(type, t[0] / t[1]));
        return new Result(n == 0 ? Double.NaN : total / n, perType, n, predictions);
    }
}
