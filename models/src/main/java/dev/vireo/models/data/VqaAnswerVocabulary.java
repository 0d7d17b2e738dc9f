package dev.vireo.models.data;

import it.unimi.dsi.fastutil.objects.Object2IntLinkedOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The answer classes of a VQA classifier: the {@code N} most frequent answers of a training set,
 * counted over every annotator's answer (ten per question) after {@link VqaAnswerNormalizer#normalize}
 * (the official evaluation's punctuation, number-word, article and contraction rules); ties keep the
 * order in which answers first appear. (ViLT keeps instead the answers seen at least nine times,
 * 3,129 classes on VQA v2 train+val; a top-N is the same idea with the size fixed.)
 *
 * <p>The training target of a question ({@link #softTarget}) is ViLT's soft score
 * (dandelin/ViLT, {@code vilt/utils/write_vqa.py}, {@code get_score}): an answer given by
 * {@code c} of the annotators scores 0.3, 0.6, 0.9 for c = 1, 2, 3 and 1.0 from four on, roughly
 * {@code min(1, 0.3 c)}, a cheap stand-in for the evaluation's leave-one-out accuracy
 * (1/3, 2/3, 1, 1). Answers outside the vocabulary are left out of the target.
 */
public final class VqaAnswerVocabulary {
    private final List<String> answers;
    private final Object2IntOpenHashMap<String> index = new Object2IntOpenHashMap<>();

    private VqaAnswerVocabulary(List<String> answers) {
        this.answers = List.copyOf(answers);
        index.defaultReturnValue(-1);
        for (int i = 0; i < answers.size(); i++) index.put(answers.get(i), i);
    }

    /** The {@code size} most frequent normalised answers of {@code items} (fewer when there are fewer distinct answers). */
    public static VqaAnswerVocabulary mostFrequent(List<VqaItem> items, int size) {
        if (size < 1) throw new IllegalArgumentException("answer vocabulary size must be at least 1, got " + size);
        Object2IntLinkedOpenHashMap<String> counts = new Object2IntLinkedOpenHashMap<>();
        for (VqaItem item : items) {
            for (String answer : item.answers()) counts.addTo(VqaAnswerNormalizer.normalize(answer), 1);
        }
        List<String> ranked = new ArrayList<>(counts.keySet()); // first-appearance order; the sort is stable
        ranked.sort(Comparator.comparingInt(counts::getInt).reversed());
        return new VqaAnswerVocabulary(ranked.subList(0, Math.min(size, ranked.size())));
    }

    /** A vocabulary of the given answers, in order (as saved from an earlier {@link #answers()}). */
    public static VqaAnswerVocabulary of(List<String> answers) {
        if (answers.isEmpty()) throw new IllegalArgumentException("answer vocabulary is empty");
        if (answers.stream().distinct().count() != answers.size()) throw new IllegalArgumentException("answer vocabulary has duplicates");
        return new VqaAnswerVocabulary(answers);
    }

    public int size() {
        return answers.size();
    }

    /** The answers, class index order. */
    public List<String> answers() {
        return answers;
    }

    public String answer(int classIndex) {
        return answers.get(classIndex);
    }

    /** The class of an answer after normalisation, or -1 when it is not in the vocabulary. */
    public int classOf(String answer) {
        return index.getInt(VqaAnswerNormalizer.normalize(answer));
    }

    /** ViLT's soft score of an answer given by {@code count} annotators: 0, 0.3, 0.6, 0.9, then 1.0. */
    public static double softScore(int count) {
        return switch (count) {
            case 0 -> 0.0;
            case 1 -> 0.3;
            case 2 -> 0.6;
            case 3 -> 0.9;
            default -> 1.0;
        };
    }

    /** The classes a question's annotators gave (each once, in first-given order) and their soft scores. */
    public record SoftTarget(int[] classes, double[] scores) {}

    /** The soft target of a question: each in-vocabulary normalised answer with {@link #softScore} of its count. */
    public SoftTarget softTarget(VqaItem item) {
        Object2IntLinkedOpenHashMap<String> counts = new Object2IntLinkedOpenHashMap<>();
        for (String answer : item.answers()) counts.addTo(VqaAnswerNormalizer.normalize(answer), 1);
        List<int[]> kept = new ArrayList<>();
        for (var e : counts.object2IntEntrySet()) {
            int c = index.getInt(e.getKey());
            if (c >= 0) kept.add(new int[] {c, e.getIntValue()});
        }
        int[] classes = new int[kept.size()];
        double[] scores = new double[kept.size()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = kept.get(i)[0];
            scores[i] = softScore(kept.get(i)[1]);
        }
        return new SoftTarget(classes, scores);
    }
}
