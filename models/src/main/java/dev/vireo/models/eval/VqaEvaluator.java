package dev.vireo.models.eval;

import dev.vireo.engine.tensor.GradMode;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.train.QuestionAnswerData;
import dev.vireo.models.vl.VlScorer;
import dev.vireo.models.vqa.AnswerVocabulary;
import dev.vireo.models.vqa.GenerativeVqaAnswerer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Held-out question answering accuracy of a fusion model: every question of every image answered
 * by the argmax of its answer head's logits (a classifier) or by its decoded answer (a generative
 * model, {@link GenerativeVqaAnswerer}), scored by the soft score the data gives that
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

    /** The classifier's answers: the argmax of each question's logits over {@code answers}. */
    public static Result evaluate(VlScorer scorer, AnswerVocabulary answers, QuestionAnswerData data) {
        if (scorer.model().config().answerClasses() != answers.size()) {
            throw new IllegalArgumentException("vqa: the model answers " + scorer.model().config().answerClasses() + " classes but the answer list holds "
                    + answers.size());
        }
        VlScorer.Images images = new VlEvaluator(scorer).images(data);
        Questions q = Questions.of(data);
        VlScorer.Texts texts = scorer.encodeTexts(q.texts());
        int n = q.texts().size();
        int[] textIndex = new int[n];
        for (int k = 0; k < n; k++) textIndex[k] = k;
        int[] best = VlScorer.argmax(scorer.answerLogits(images, texts, q.image(), textIndex), n);
        List<String> predicted = new ArrayList<>(n);
        for (int k = 0; k < n; k++) predicted.add(answers.answer(best[k]));
        return score(data, q, predicted);
    }

    /**
     * A generative model's answers, decoded as {@code generation} says (greedy for the demo), 64
     * questions at a time, each image's tokens computed once for all its questions.
     */
    public static Result evaluate(GenerativeVqaAnswerer answerer, QuestionAnswerData data, GenerationConfig generation) {
        Questions q = Questions.of(data);
        int n = q.texts().size(), s = data.imageSize();
        List<String> predicted = new ArrayList<>(n);
        int chunk = 64, from = 0;
        while (from < n) {
            // the images of up to 64 questions (whole images), their tokens once
            int firstImage = q.image()[from], to = Math.min(n, from + chunk);
            while (to < n && q.image()[to] == q.image()[to - 1]) to++;
            int images = q.image()[to - 1] - firstImage + 1;
            float[] pixels = new float[images * 3 * s * s]; // (I, 3, S, S)
            for (int i = 0; i < images; i++) data.image(firstImage + i, pixels, i * 3 * s * s);
            try (var ignored = GradMode.noGrad()) {
                Tensor tokens = answerer.model().imageTokens(Tensor.of(pixels, images, 3, s, s)); // (I, S', Cv)
                int[] imageIndex = new int[to - from];
                for (int k = from; k < to; k++) imageIndex[k - from] = q.image()[k] - firstImage;
                for (int[] row : answerer.answerIds(tokens, imageIndex, q.texts().subList(from, to), generation)) {
                    predicted.add(answerer.tokenizer().decode(row));
                }
            }
            from = to;
        }
        return score(data, q, predicted);
    }

    /** Every question of the data in order, with its image and its place among the image's questions. */
    private record Questions(List<String> texts, int[] image, int[] question) {
        static Questions of(QuestionAnswerData data) {
            List<String> texts = new ArrayList<>();
            List<int[]> where = new ArrayList<>(); // (image, question)
            for (int i = 0; i < data.size(); i++) {
                List<String> q = data.captions(i);
                for (int k = 0; k < q.size(); k++) {
                    texts.add(q.get(k));
                    where.add(new int[] {i, k});
                }
            }
            return new Questions(texts, where.stream().mapToInt(w -> w[0]).toArray(), where.stream().mapToInt(w -> w[1]).toArray());
        }
    }

    /** Each predicted answer scored by the soft score the data gives it, averaged overall and per type. */
    private static Result score(QuestionAnswerData data, Questions q, List<String> predictedAnswers) {
        int n = q.texts().size();
        List<Prediction> predictions = new ArrayList<>(n);
        Map<String, double[]> byType = new TreeMap<>(); // type → (sum, count)
        double total = 0;
        for (int k = 0; k < n; k++) {
            int image = q.image()[k], question = q.question()[k];
            String predicted = predictedAnswers.get(k);
            List<QuestionAnswerData.ScoredAnswer> truth = data.answers(image, question);
            double accuracy = 0;
            for (QuestionAnswerData.ScoredAnswer s : truth) if (s.answer().equals(predicted)) accuracy = Math.max(accuracy, s.score());
            String type = data.questionType(image, question);
            predictions.add(new Prediction(image, q.texts().get(k), type, predicted, truth.getFirst().answer(), accuracy));
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
