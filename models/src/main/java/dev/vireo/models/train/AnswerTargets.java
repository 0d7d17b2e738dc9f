package dev.vireo.models.train;

import dev.vireo.engine.autograd.Losses;
import dev.vireo.engine.tensor.Tensor;
import dev.vireo.models.generate.LanguageModelLoss;
import dev.vireo.models.text.WordPieceTokenizer;
import dev.vireo.models.vqa.GenerativeVqaModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The answers a generative VQA batch is trained to write, as BLIP's VQA fine-tuning builds them:
 * one row per answer a question's annotators gave ([CLS] answer [SEP], right-padded), reading its
 * question's fused states, weighted by the answer's share of the question's scores (one row of
 * weight 1 when the data gives one answer, as the shapes world does). The loss is BLIP's: each row's
 * label-smoothed cross-entropy summed over its answer tokens ([CLS] is the begin token, never
 * predicted), times its weight, summed over rows and divided by the questions.
 *
 * @param ids      answer rows (R·L, row-major)
 * @param length   L
 * @param question for each row, its question's row in the batch
 * @param weight   for each row, its weight
 */
record AnswerTargets(int[] ids, int length, int[] question, float[] weight) {
    int rows() {
        return question.length;
    }

    /** Rows for the answers of the batch's questions; {@code coded} gives an answer's ids up to [SEP]. */
    static AnswerTargets of(QuestionBatches.Batch b, QuestionAnswerData data, Function<String, int[]> coded, int padId) {
        List<int[]> rows = new ArrayList<>();
        List<Integer> question = new ArrayList<>();
        List<Float> weight = new ArrayList<>();
        for (int j = 0; j < b.imageIndex().length; j++) {
            List<QuestionAnswerData.ScoredAnswer> answers = data.answers(b.imageIndex()[j], b.questionIndex()[j]);
            double total = 0;
            for (QuestionAnswerData.ScoredAnswer a : answers) total += Math.max(0, a.score());
            for (QuestionAnswerData.ScoredAnswer a : answers) {
                if (!(a.score() > 0)) continue;
                rows.add(coded.apply(a.answer()));
                question.add(j);
                weight.add((float) (a.score() / total));
            }
        }
        int length = 1;
        for (int[] r : rows) length = Math.max(length, r.length);
        int[] ids = new int[rows.size() * length]; // (R, L)
        Arrays.fill(ids, padId);
        for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, ids, r * length, rows.get(r).length);
        int[] q = question.stream().mapToInt(Integer::intValue).toArray();
        float[] w = new float[weight.size()];
        for (int r = 0; r < w.length; r++) w[r] = weight.get(r);
        return new AnswerTargets(ids, length, q, w);
    }

    /** An answer's ids, [CLS] answer [SEP], cut after [SEP] (the tokenizer truncates to {@code maxLength}). */
    static Function<String, int[]> coder(WordPieceTokenizer tokenizer, int maxLength) {
        return answer -> BatchSampler.trimmed(tokenizer.encode(answer, maxLength).ids(), tokenizer.sepId());
    }

    /** BLIP's answer loss () over question states {@code questions} (B rows), B the batch's questions. */
    Tensor loss(GenerativeVqaModel model, GenerativeVqaModel.Questions questions, int padId, float labelSmoothing) {
        int r = rows(), b = questions.states().size(0);
        boolean oneEach = r == b;
        for (int i = 0; oneEach && i < r; i++) oneEach = question[i] == i;
        GenerativeVqaModel.Questions read = oneEach ? questions : new GenerativeVqaModel.Questions(questions.states().indexSelect(0, question),
                questions.mask() == null ? null : questions.mask().indexSelect(0, question)); // (R, T', C)
        Tensor logits = model.answerLogits(ids, r, length, read);                       // (R, L, V)
        Tensor flat = logits.reshape(r * length, logits.size(2));                        // (R·L, V)
        int[] targets = LanguageModelLoss.targets(ids, r, length, 1, padId);             // (R·L)
        TreeMap<Float, List<Integer>> byWeight = new TreeMap<>();                        // rows of equal weight share one mean
        for (int i = 0; i < r; i++) byWeight.computeIfAbsent(weight[i], w -> new ArrayList<>()).add(i);
        Tensor loss = null;
        for (var group : byWeight.entrySet()) {
            int[] kept = new int[targets.length];
            Arrays.fill(kept, Losses.IGNORE_INDEX);
            int tokens = 0;
            for (int row : group.getValue()) {
                for (int t = 0; t < length; t++) {
                    kept[row * length + t] = targets[row * length + t];
                    if (kept[row * length + t] != Losses.IGNORE_INDEX) tokens++;
                }
            }
            if (tokens == 0) continue;
            // the mean over the group's tokens, times their number: the sum, weighted, over the questions
            Tensor part = Losses.crossEntropy(flat, kept, Losses.IGNORE_INDEX, labelSmoothing).mul(group.getKey() * tokens / b); // ()
            loss = loss == null ? part : loss.add(part);
        }
        if (loss == null) throw new IllegalArgumentException("vqa: a batch without any answer token to learn");
        return loss;
    }
}
